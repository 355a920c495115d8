import { memo } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../../app/ops.ts';
import { Freshness } from '../Freshness.tsx';
import type { ListPage } from './blocks.ts';

const MemoFreshness = memo(Freshness, (a, b) => JSON.stringify(a.sources) === JSON.stringify(b.sources));

/** How many people the view holds, how fresh each source is, and a way to read them all again. */
export function PeopleCount({ page }: { page: ListPage | undefined }) {
  const { t } = useTranslation();
  const refresh = useOpMutation('people.refresh');
  const cancel = useOpMutation('people.cancelRefresh');
  const cancellable = page?.sources.some((s) => s.cancellable) ?? false;
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed" aria-live="polite" data-testid="people-count">
        {page ? t('people.view', { count: page.total, total: page.total.toLocaleString('da-DK'), indexed: page.indexed.toLocaleString('da-DK') }) : t('people.loadingRows')}
      </Text>
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
