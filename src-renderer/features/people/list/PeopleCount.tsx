import { memo } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../../app/ops.ts';
import { Freshness } from '../Freshness.tsx';
import type { ListPage } from './blocks.ts';
import { useFormat } from '../../../app/format.ts';

const MemoFreshness = memo(Freshness, (a, b) => JSON.stringify(a.sources) === JSON.stringify(b.sources));

/** How many people the view holds, how fresh each source is, and a way to read them all again. */
export function PeopleCount({ page, scopeText }: { page: ListPage | undefined; scopeText?: string | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const refresh = useOpMutation('people.refresh');
  const cancel = useOpMutation('people.cancelRefresh');
  const cancellable = page?.sources.some((s) => s.cancellable) ?? false;
  return (
    <Group justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="people-count">
          {page ? t('people.view', { count: page.total, total: fmt.number(page.total), indexed: fmt.number(page.indexed) }) : t('people.loadingRows')}
        </Text>
        {/* Several domains' people in one list: each domain's own count (in the operator's view, before filters). */}
        {page && page.domains.length > 1 && (
          <Text size="sm" c="dimmed" data-testid="people-domain-counts">
            {t('people.domainCounts', { counts: page.domains.map((d) => `${d.name} ${fmt.number(d.count)}`).join(' · ') })}
          </Text>
        )}
        {/* A scoped operator's list is their own OUs or domain, and it says so. */}
        {scopeText && (
          <Text size="sm" fw={600} data-testid="people-scope">
            {scopeText}
          </Text>
        )}
      </Group>
      {page && (
        <Group gap="xs">
          <MemoFreshness sources={page.sources} />
          <Button size="compact-xs" variant="subtle" onClick={() => refresh.mutate({})}>
            {t('people.refresh')}
          </Button>
          {cancellable && (
            <Button size="compact-xs" variant="subtle" color="red" title={t('people.cancelRefreshHelp')} onClick={() => cancel.mutate({})} data-testid="people-cancel-refresh">
              {t('people.cancelRefresh')}
            </Button>
          )}
        </Group>
      )}
    </Group>
  );
}
