import { useId, type ReactNode } from 'react';
import { Button, Card, Stack, Table, Text, Title, type ButtonProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Blocker } from '../../../../shared/domain/person-state.ts';
import type { OpName } from '../../../../shared/operations/index.ts';
import type { ActionRequest } from '../ActionModal.tsx';

/** Opens the reason dialog for a write; the drawer runs it and shows the outcome. */
export type Ask = (r: ActionRequest) => void;
/** May the operator call this operation on the person shown? */
export type May = (op: OpName) => boolean;

/** The writes the person page offers; with none of them allowed it says the page is read-only. */
export const mitidWrites: OpName[] = ['people.assignLocalAuthenticator', 'people.revokeLocalAuthenticator', 'people.setSigning', 'people.suspendIdentity', 'people.reactivateIdentity'];
export const personWrites: OpName[] = ['people.unlockAccount', 'people.resetPassword', ...mitidWrites, 'people.deviceAction', 'people.setIdentityLock'];

/** One line of a panel's table: a label and its value. */
export function Row({ k, v }: { k: string; v: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={200}>
        <Text size="sm" fw={600}>
          {k}
        </Text>
      </Table.Th>
      <Table.Td>{v}</Table.Td>
    </Table.Tr>
  );
}

/** One system's part of the person page. */
export function Panel({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/**
 * An action button that main would refuse now (shared/domain/person-state.ts `blockers`): shown, but
 * disabled, with the reason under it — before any reason is typed.
 */
export function GuardedButton({ blocker, onClick, children, ...props }: ButtonProps & { blocker: Blocker | undefined; onClick: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const id = useId();
  if (!blocker) {
    return (
      <Button {...props} onClick={onClick}>
        {children}
      </Button>
    );
  }
  return (
    <Stack gap={2} align="flex-start">
      <Button {...props} disabled aria-describedby={id} data-blocked={blocker}>
        {children}
      </Button>
      <Text size="xs" id={id} data-testid="action-blocked">
        {t('people.cannotBecause', { reason: t(`people.blocker.${blocker}`) })}
      </Text>
    </Stack>
  );
}
