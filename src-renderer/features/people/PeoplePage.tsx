import { useDeferredValue, useRef, useState } from 'react';
import { Badge, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { useOp } from '../../app/ops.ts';
import { PersonDrawer } from './PersonDrawer.tsx';

export function AdState({ p }: { p: Pick<PersonSummary, 'enabled' | 'locked'> }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {p.enabled ? <Badge color="green" variant="light">{t('people.enabled')}</Badge> : <Badge color="gray">{t('people.disabled')}</Badge>}
      {p.locked && <Badge color="red">{t('people.locked')}</Badge>}
    </Group>
  );
}

export function PeoplePage() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  // Typing stays responsive: the query follows the deferred value, and the old rows stay until new ones arrive.
  const deferred = useDeferredValue(text);
  const search = useOp('people.search', { text: deferred, limit: 200 }, { placeholderData: keepPreviousData });
  const [selected, setSelected] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useHotkeys([['mod+K', () => input.current?.focus()]]);

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('people.title')}
      </Title>
      <TextInput
        ref={input}
        aria-label={t('people.search')}
        placeholder={t('people.search')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autoFocus
        rightSection={<Text size="xs" c="dimmed">Ctrl K</Text>}
        rightSectionWidth={60}
        data-testid="people-search"
      />
      {search.error && <Text c="red">{search.error.message}</Text>}
      {search.data && (
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('people.results', { shown: search.data.items.length, total: search.data.total })}
        </Text>
      )}
      {search.data && search.data.items.length === 0 && <Text>{t('people.none')}</Text>}
      <Table highlightOnHover striped stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('people.name')}</Table.Th>
            <Table.Th>{t('people.username')}</Table.Th>
            <Table.Th>{t('people.ou')}</Table.Th>
            <Table.Th>{t('people.state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(search.data?.items ?? []).map((p) => (
            <Table.Tr
              key={p.id}
              tabIndex={0}
              style={{ cursor: 'pointer' }}
              onClick={() => setSelected(p.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  setSelected(p.id);
                }
              }}
              data-testid="person-row"
            >
              <Table.Td>{p.displayName}</Table.Td>
              <Table.Td ff="monospace">{p.username}</Table.Td>
              <Table.Td>{p.ouPath}</Table.Td>
              <Table.Td>
                <AdState p={p} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <PersonDrawer personId={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}
