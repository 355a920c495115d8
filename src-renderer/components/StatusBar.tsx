import { Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOp } from '../app/ops.ts';

const colour = { ok: 'var(--mantine-color-green-6)', down: 'var(--mantine-color-red-6)', 'not-configured': 'var(--mantine-color-gray-5)', unknown: 'var(--mantine-color-yellow-6)' } as const;

/** One indicator per connected system, refreshed every 30 s. */
export function StatusBar() {
  const { t } = useTranslation();
  const status = useOp('system.status', {}, { refetchInterval: 30_000 });
  return (
    <Group gap="lg" px="md" h="100%" role="status" aria-label={t('app.systemStatus')}>
      {(status.data?.systems ?? []).map((s) => (
        <Tooltip key={s.system} label={s.message} withArrow>
          <Group gap={6} data-testid={`status-${s.system}`} tabIndex={0} aria-label={`${t(`systems.${s.system}`)}: ${t(`systems.${s.state}`)}`}>
            <span style={{ width: 10, height: 10, borderRadius: 5, background: colour[s.state], display: 'inline-block' }} />
            <Text size="xs">
              {t(`systems.${s.system}`)}: {t(`systems.${s.state}`)}
            </Text>
          </Group>
        </Tooltip>
      ))}
      {status.data && status.data.outbox.pending > 0 && (
        <Tooltip label={status.data.outbox.lastError ?? t('systems.outboxHelp')} withArrow>
          <Text size="xs" c={status.data.outbox.lastError ? 'orange' : 'dimmed'} data-testid="outbox" tabIndex={0}>
            {t('systems.outbox', { count: status.data.outbox.pending })}
          </Text>
        </Tooltip>
      )}
    </Group>
  );
}
