import { useMemo, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, FileInput, Group, Loader, Radio, ScrollArea, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BULK_MAX_CSV, bulkActions, parseUsernameCsv, type BulkAction, type BulkTarget, type ParsedUsernames } from '../../../shared/domain/bulk.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { errorText } from '../../app/errors.ts';
import { inBackground } from '../../app/background.ts';

type TargetKind = BulkTarget['kind'];

function PeoplePicker({ selected, onChange }: { selected: PersonSummary[]; onChange(p: PersonSummary[]): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, 150);
  const search = useOp('people.search', { text: debounced, limit: 20 }, { enabled: debounced.trim().length > 0, placeholderData: keepPreviousData });
  const chosen = new Set(selected.map((p) => p.id));
  return (
    <Stack gap="xs">
      <TextInput label={t('bulk.searchPeople')} value={text} onChange={(e) => setText(e.currentTarget.value)} data-testid="bulk-people-search" />
      {debounced.trim() && (
        <ScrollArea.Autosize mah={220}>
          <Table highlightOnHover>
            <Table.Tbody>
              {(search.data?.items ?? []).map((p) => (
                <Table.Tr key={p.id} data-testid="bulk-search-row">
                  <Table.Td>{p.displayName}</Table.Td>
                  <Table.Td c="dimmed">{p.username}</Table.Td>
                  <Table.Td c="dimmed">{p.ouPath}</Table.Td>
                  <Table.Td ta="right">
                    <Button size="compact-xs" variant="light" disabled={chosen.has(p.id)} onClick={() => onChange([...selected, p])}>
                      {t('bulk.add')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
      <Text size="sm" fw={600}>
        {t('bulk.selected', { count: selected.length })}
      </Text>
      {selected.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('bulk.noneSelected')}
        </Text>
      ) : (
        <Group gap={6} data-testid="bulk-selected">
          {selected.map((p) => (
            <Badge
              key={p.id}
              variant="light"
              tt="none"
              rightSection={
                <ActionIcon size="xs" variant="transparent" aria-label={t('bulk.remove', { name: p.displayName })} onClick={() => onChange(selected.filter((x) => x.id !== p.id))}>
                  ×
                </ActionIcon>
              }
            >
              {p.displayName} ({p.username})
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** Choose action and targets, then the dry run. Calls onPlanned with the new job's id. */
export function NewJob({ onPlanned }: { onPlanned(jobId: string): void }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<BulkAction>('assign-local');
  const [kind, setKind] = useState<TargetKind>('ou');
  const [people, setPeople] = useState<PersonSummary[]>([]);
  const [ou, setOu] = useState<string | null>(null);
  const [group, setGroup] = useState('');
  const [csv, setCsv] = useState<{ name: string; text: string; parsed: ParsedUsernames } | null>(null);
  const [csvError, setCsvError] = useState<string | null>(null);
  const targets = useOp('bulk.targets', {}, { enabled: kind === 'ou', staleTime: 60_000 });
  const plan = useOpMutation('bulk.plan');

  const ouOptions = useMemo(
    () => (targets.data?.ous ?? []).map((o) => ({ value: o.dn, label: t('bulk.ouPeople', { label: o.label, count: o.people }) })),
    [targets.data, t],
  );

  const target: BulkTarget | null =
    kind === 'people'
      ? people.length
        ? { kind, personIds: people.map((p) => p.id) }
        : null
      : kind === 'ou'
        ? ou
          ? { kind, ou }
          : null
        : kind === 'group'
          ? group.trim()
            ? { kind, group: group.trim() }
            : null
          : csv
            ? { kind, csv: csv.text, fileName: csv.name }
            : null;

  const readFile = async (file: File | null) => {
    setCsv(null);
    setCsvError(null);
    if (!file) return;
    const text = await file.text();
    if (text.length > BULK_MAX_CSV) return setCsvError(t('bulk.csvTooBig'));
    setCsv({ name: file.name, text, parsed: parseUsernameCsv(text) });
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="bulk-new">
      <Stack>
        <Title order={2} size="h4" id="bulk-new">
          {t('bulk.new')}
        </Title>
        <Radio.Group label={t('bulk.action')} value={action} onChange={(v) => setAction(v as BulkAction)}>
          <Stack gap={6} mt={6}>
            {bulkActions.map((a) => (
              <Radio key={a} value={a} label={t(`bulk.actions.${a}`)} description={action === a ? t(`bulk.actionHelp.${a}`) : undefined} />
            ))}
          </Stack>
        </Radio.Group>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="bulk-target-label">
            {t('bulk.target')}
          </Text>
          <SegmentedControl
            aria-labelledby="bulk-target-label"
            value={kind}
            onChange={(v) => setKind(v as TargetKind)}
            data={(['people', 'ou', 'group', 'csv'] as const).map((k) => ({ value: k, label: t(`bulk.targets.${k}`) }))}
            w="fit-content"
          />
        </Stack>
        {kind === 'people' && <PeoplePicker selected={people} onChange={setPeople} />}
        {kind === 'ou' && (
          <Select
            label={t('bulk.ou')}
            placeholder={t('bulk.ouPlaceholder')}
            data={ouOptions}
            value={ou}
            onChange={setOu}
            searchable
            nothingFoundMessage="–"
            rightSection={targets.isFetching ? <Loader size="xs" /> : undefined}
            maw={520}
            data-testid="bulk-ou"
          />
        )}
        {kind === 'group' && <TextInput label={t('bulk.group')} description={t('bulk.groupHelp')} value={group} onChange={(e) => setGroup(e.currentTarget.value)} maw={520} />}
        {kind === 'csv' && (
          <Stack gap={4}>
            <FileInput label={t('bulk.csv')} description={t('bulk.csvHelp')} accept=".csv,.txt,text/csv,text/plain" onChange={(f) => inBackground(readFile(f))} clearable maw={520} error={csvError} data-testid="bulk-csv" />
            {csv && (
              <Text size="sm" data-testid="bulk-csv-parsed">
                {t('bulk.csvParsed', { count: csv.parsed.usernames.length })}
                {csv.parsed.duplicates.length > 0 && ` · ${t('bulk.csvDuplicates', { count: csv.parsed.duplicates.length })}`}
                {csv.parsed.invalid.length > 0 && ` · ${t('bulk.csvInvalid', { count: csv.parsed.invalid.length })}`}
              </Text>
            )}
          </Stack>
        )}
        {plan.error && (
          <Alert color="red" role="alert">
            {errorText(plan.error)}
          </Alert>
        )}
        <Group>
          <Button
            disabled={!target}
            loading={plan.isPending}
            onClick={() => target && plan.mutate({ action, target }, { onSuccess: (r) => onPlanned(r.job.id) })}
            data-testid="bulk-plan"
          >
            {t('bulk.plan')}
          </Button>
          {plan.isPending && (
            <Text size="sm" c="dimmed">
              {t('bulk.planning')}
            </Text>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
