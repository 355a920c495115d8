import { useState } from 'react';
import { Alert, Button, Card, Center, Container, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queryKey, useOp, useOpMutation } from '../../app/ops.ts';
import { inBackground } from '../../app/background.ts';
import { CredentialFields } from './CredentialFields.tsx';

export function SignIn() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const info = useOp('app.info', {});
  const login = useOpMutation('session.login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    login.mutate(
      { username, password },
      {
        onSuccess: (data) => {
          qc.setQueryData(queryKey('session.current', {}), { operator: data.operator });
          // The signed-in page shows at once; what was read before sign-in is fetched again behind it.
          inBackground(qc.invalidateQueries());
        },
      },
    );
  };

  return (
    <Container size={520} py="xl" component="main">
      <Stack>
        <Title order={1} size="h2">
          {t('app.name')}
        </Title>
        <Card withBorder padding="lg">
          <form onSubmit={submit} noValidate aria-labelledby="signin-title">
            <Stack>
              <Title order={2} size="h3" id="signin-title">
                {t('signIn.title')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('signIn.intro')}
              </Text>
              <CredentialFields username={username} setUsername={setUsername} password={password} setPassword={setPassword} error={login.error} />
              <Button type="submit" loading={login.isPending}>
                {t('signIn.submit')}
              </Button>
            </Stack>
          </form>
        </Card>
        {info.data?.training && (
          <Card withBorder padding="lg" bg="yellow.0" data-testid="training-operators">
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('signIn.trainingOperators')}
              </Title>
              <Text size="sm">{t('signIn.trainingHint')}</Text>
              <Table>
                <Table.Tbody>
                  {info.data.trainingOperators.map((o) => (
                    <Table.Tr key={o.username}>
                      <Table.Td>
                        <UnstyledButton
                          onClick={() => {
                            setUsername(o.username);
                            setPassword(o.password);
                          }}
                          style={{ textDecoration: 'underline' }}
                        >
                          {o.role}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td ff="monospace">{o.username}</Table.Td>
                      <Table.Td ff="monospace">{o.password}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          </Card>
        )}
      </Stack>
    </Container>
  );
}

export function NoToken() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Alert color="orange" title={t('signIn.noToken')} maw={520}>
        {t('signIn.noTokenHelp')}
      </Alert>
    </Center>
  );
}
