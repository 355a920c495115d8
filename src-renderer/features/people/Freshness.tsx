import { Badge, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SourceFreshness } from '../../../shared/domain/people.ts';

/** How fresh each source of the people list is: read at, reading n/m, failed, not set up. */
export function Freshness({ sources }: { sources: SourceFreshness[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} data-testid="people-freshness">
      {sources.map((s) => (
        <Tooltip key={s.system} label={s.message ?? t(`people.source.${s.system}`)} disabled={!s.message}>
          <Badge
            variant="light"
            color={s.state === 'ok' ? 'green' : s.state === 'loading' ? 'blue' : s.state === 'failed' ? 'red' : 'gray'}
            data-testid={`freshness-${s.system}`}
          >
            {t(`people.source.${s.system}`)}:{' '}
            {t(`people.sourceState.${s.state}`, {
              done: s.done.toLocaleString('da-DK'),
              total: s.total.toLocaleString('da-DK'),
              at: s.loadedAt ? new Date(s.loadedAt).toLocaleTimeString('da-DK', { hour: '2-digit', minute: '2-digit' }) : '',
            })}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

