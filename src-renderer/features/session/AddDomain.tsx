import { useState } from 'react';
import { Button, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { queryKey, useOp, useOpMutation } from '../../app/ops.ts';
import { inBackground } from '../../app/background.ts';
import { useOperator } from './useOperator.ts';
import { CredentialFields } from './CredentialFields.tsx';

/**
 * "Log også ind i et andet domæne" (#19): a second sign-in in the same session, with the operator's
 * account in another AD domain. Main decides the roles there from that domain's own groups; the people
 * list then holds both domains' people. Offered only where several domains are configured and one is left.
 */
export function AddDomain() {
  const { t } = useTranslation();
  const operator = useOperator();
  const domains = useOp('app.info', {}).data?.domains ?? [];
  const add = useOpMutation('session.addDomain', {
    // Here, not in mutate's callbacks: those are dropped when the button goes (no domain is left to add).
    onSuccess: (data, client) => {
      client.setQueryData(queryKey('session.current', {}), { operator: data.operator });
      // Everything read under the earlier grants is read again with the new one (the list, the counts). An
      // answer still on its way was asked under the earlier grants: it is dropped, not taken as the fresh one.
      const earlier = { predicate: (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== 'session.current' };
      inBackground(client.cancelQueries(earlier).then(() => client.invalidateQueries(earlier)));
    },
  });
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const held = new Set([operator?.domain?.id, ...(operator?.also ?? []).map((g) => g.domain?.id)]);
  const left = domains.filter((d) => !held.has(d.id));
  if (!operator?.domain || left.length === 0) return null;
  const close = () => {
    setOpen(false);
    setPassword('');
    add.reset();
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    add.mutate(
      { username, password },
      {
        onSuccess: () => {
          setUsername('');
          close();
        },
      },
    );
  };
  return (
    <>
      <Button variant="default" size="xs" onClick={() => setOpen(true)} data-testid="add-domain">
        {t('addDomain.button')}
      </Button>
      <Modal opened={open} onClose={close} title={t('addDomain.title')} size="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t('addDomain.intro', { domains: left.map((d) => `${d.name} (@${d.suffix})`).join(', ') })}</Text>
            <CredentialFields
              username={username}
              setUsername={setUsername}
              password={password}
              setPassword={setPassword}
              error={add.error}
              usernameHelp={t('addDomain.usernameHelp', { example: `navn@${left[0]?.suffix ?? ''}` })}
            />
            <Button type="submit" loading={add.isPending}>
              {t('addDomain.submit')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
