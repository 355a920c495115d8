import { useState } from 'react';
import { Alert, Button, Drawer, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { useOperator } from '../session/useOperator.ts';
import { AdState } from './PeoplePage.tsx';

const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString('da-DK', { dateStyle: 'medium', timeStyle: 'short' }) : '–');

export function PersonDrawer({ personId, onClose }: { personId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const operator = useOperator();
  const person = useOp('people.get', { personId: personId ?? '' }, { enabled: personId !== null });
  const unlock = useOpMutation('people.unlockAccount', ['people.get', 'people.search']);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const p = person.data?.person;
  const mayUnlock = operator?.roles.some((r) => r === 'administrator' || r === 'useradmin' || r === 'helpdesk') ?? false;

  return (
    <Drawer opened={personId !== null} onClose={onClose} position="right" size="lg" title={p?.displayName ?? ''}>
      {person.error && <Alert color="red">{person.error.message}</Alert>}
      {p && (
        <Stack>
          <AdState p={p} />
          <Table>
            <Table.Tbody>
              <Row k={t('people.username')} v={p.username} />
              <Row k={t('people.email')} v={p.email ?? '–'} />
              <Row k={t('people.employeeId')} v={p.employeeId ?? '–'} />
              <Row k={t('people.title_')} v={p.title ?? '–'} />
              <Row k={t('people.ou')} v={p.ouPath} />
              <Row k={t('people.passwordLastSet')} v={fmt(p.passwordLastSet)} />
              <Row k={t('people.mustChange')} v={p.mustChangePassword ? '✓' : '–'} />
              <Row k={t('people.groups')} v={p.groups.join(', ')} />
            </Table.Tbody>
          </Table>
          {unlock.isSuccess && <Alert color="green">{t('people.unlocked')}</Alert>}
          {mayUnlock && p.locked && (
            <Button onClick={() => setAsking(true)} color="orange" w="fit-content">
              {t('people.unlock')}
            </Button>
          )}
        </Stack>
      )}
      <Modal opened={asking} onClose={() => setAsking(false)} title={`${t('people.unlock')}: ${p?.displayName ?? ''}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!personId) return;
            unlock.mutate(
              { personId, reason },
              {
                onSuccess: () => {
                  setAsking(false);
                  setReason('');
                },
              },
            );
          }}
        >
          <Stack>
            <Textarea
              label={t('people.reason')}
              description={t('people.reasonHelp')}
              value={reason}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                if (unlock.error) unlock.reset();
              }}
              error={unlock.error?.fields.reason}
              data-autofocus
              autosize
              minRows={2}
            />
            {unlock.error && !unlock.error.fields.reason && <Alert color="red">{unlock.error.message}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsking(false)}>
                {t('people.cancel')}
              </Button>
              <Button type="submit" loading={unlock.isPending}>
                {t('people.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Drawer>
  );
}

function Row({ k, v }: { k: string; v: string }) {
  return (
    <Table.Tr>
      <Table.Th w={180}>
        <Text size="sm" fw={600}>
          {k}
        </Text>
      </Table.Th>
      <Table.Td>{v}</Table.Td>
    </Table.Tr>
  );
}
