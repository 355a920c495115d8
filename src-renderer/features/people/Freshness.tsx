import { Badge, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SourceFreshness } from '../../../shared/domain/people.ts';
import { formatterFor, useFormat } from '../../app/format.ts';
import i18n from '../../app/i18n.ts';
import { failureText, syncMethodText, syncPhaseText } from '../../app/server-text.ts';
import { useTexts } from '../../app/texts.ts';

/** A time today as 14.05; an older one with its date, so yesterday's cache does not look fresh. */
export function when(iso: string | null): string {
  return formatterFor(i18n.language).short(iso);
}

/** How fresh each source of the people list is: read at, reading n/m, from the cache, failed, not set up. */
export function Freshness({ sources }: { sources: SourceFreshness[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const texts = useTexts();
  return (
    <Group gap={6} data-testid="people-freshness">
      {sources.map((s) => {
        const vars = { done: fmt.number(s.done), total: fmt.number(s.total), at: when(s.loadedAt) };
        const cached = s.fromCache && (s.state === 'ok' || s.state === 'loading');
        // How the system was read and when: the last whole read, the last delta, the adapter's method.
        const details = [
          s.state === 'loading' && s.phase ? syncPhaseText(s.phase, texts, fmt.number) : null,
          s.lastFullAt ? t('people.sourceLastFull', { at: when(s.lastFullAt) }) : null,
          s.lastDeltaAt ? t('people.sourceLastDelta', { at: when(s.lastDeltaAt) }) : null,
          s.method ? t('people.sourceMethod', { method: syncMethodText(s.method, texts, fmt.number) }) : null,
        ].filter(Boolean);
        const tip = [failureText(s, texts) || (cached ? t('people.sourceCachedTip') : null), ...details].filter(Boolean).join(' · ') || null;
        // A read whose total is not known yet (AD's paged search) shows how many are in so far.
        const state = s.state === 'loading' && s.total === 0 ? t('people.sourceLoadingCount', vars) : t(`people.sourceState.${s.state}`, vars);
        return (
        <Tooltip key={s.system} label={tip ?? ''} disabled={!tip}>
          <Badge
            variant="light"
            color={cached ? 'yellow' : s.state === 'ok' ? 'green' : s.state === 'loading' ? 'blue' : s.state === 'failed' ? 'red' : 'gray'}
            data-testid={`freshness-${s.system}`}
            data-from-cache={cached ? 'true' : undefined}
          >
            {t(`people.source.${s.system}`)}:{' '}
            {cached ? t(s.state === 'loading' ? 'people.sourceCachedLoading' : 'people.sourceCached', vars) : state}
          </Badge>
        </Tooltip>
        );
      })}
    </Group>
  );
}

