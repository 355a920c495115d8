import type { ReactNode } from 'react';
import { Card, Table, Text, Title } from '@mantine/core';
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
