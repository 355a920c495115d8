import { Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOp } from '../app/ops.ts';
import { useFormat } from '../app/format.ts';
import { failureText, syncMethodText, syncPhaseText, systemDetailText } from '../app/server-text.ts';
import { useTexts } from '../app/texts.ts';

const colour = { ok: 'var(--mantine-color-green-6)', down: 'var(--mantine-color-red-6)', 'not-configured': 'var(--mantine-color-gray-5)', unknown: 'var(--mantine-color-yellow-6)' } as const;

/** When each system's people were last read (whole or only the changes), or that a read is running. */
function PeopleSync() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const texts = useTexts();
  const sync = useOp('people.syncStatus', {}, { refetchInterval: (q) => (q.state.data?.sources.some((s) => s.state === 'loading') ? 2_000 : 30_000) });
  const sources = (sync.data?.sources ?? []).filter((s) => s.state !== 'not-configured' && s.state !== 'not-loaded');
  if (sources.length === 0) return null;
  const at = (iso: string) => fmt.time(iso);
  return (
    <Group gap={8} data-testid="status-people-sync">
      <Text size="xs" c="dimmed">{t('systems.sync')}:</Text>
      {sources.map((s) => {
        const last = s.lastDeltaAt && (!s.lastFullAt || s.lastDeltaAt > s.lastFullAt) ? t('systems.syncDelta', { at: at(s.lastDeltaAt) }) : s.lastFullAt ? t('systems.syncFull', { at: at(s.lastFullAt) }) : '';
        const text = s.state === 'loading' ? `${t('systems.syncLoading')}${s.total > 0 ? ` ${fmt.number(s.done)}/${fmt.number(s.total)}` : s.done > 0 ? ` ${fmt.number(s.done)}` : ''}` : s.state === 'failed' ? t('systems.syncFailed') : last;
        const tip = [s.phase && syncPhaseText(s.phase, texts, fmt.number), s.method && syncMethodText(s.method, texts, fmt.number), failureText(s, texts)].filter(Boolean).join(' · ');
        return (
          <Tooltip key={s.system} label={tip} disabled={!tip} withArrow>
            <Text size="xs" tabIndex={0} data-testid={`status-sync-${s.system}`}>
              {t(`systems.${s.system}`)} {text}
            </Text>
          </Tooltip>
        );
      })}
    </Group>
  );
}

/** One indicator per connected system, refreshed every 30 s. */
export function StatusBar() {
  const { t } = useTranslation();
  const texts = useTexts();
  const status = useOp('system.status', {}, { refetchInterval: 30_000 });
  return (
    <Group gap="lg" px="md" h="100%" role="status" aria-label={t('app.systemStatus')}>
      {(status.data?.systems ?? []).map((s) => (
        <Tooltip key={s.system} label={systemDetailText(s, texts)} withArrow>
          <Group gap={6} data-testid={`status-${s.system}`} tabIndex={0} aria-label={`${t(`systems.${s.system}`)}: ${t(`systems.${s.state}`)}`}>
            <span style={{ width: 10, height: 10, borderRadius: 5, background: colour[s.state], display: 'inline-block' }} />
            <Text size="xs">
              {t(`systems.${s.system}`)}: {t(`systems.${s.state}`)}
            </Text>
          </Group>
        </Tooltip>
      ))}
      <PeopleSync />
      {status.data && status.data.outbox.pending > 0 && (
        <Tooltip label={(status.data.outbox.lastError && failureText({ message: status.data.outbox.lastError, error: status.data.outbox.error }, texts)) || t('systems.outboxHelp')} withArrow>
          <Text size="xs" c={status.data.outbox.lastError ? 'orange' : 'dimmed'} data-testid="outbox" tabIndex={0}>
            {t('systems.outbox', { count: status.data.outbox.pending })}
          </Text>
        </Tooltip>
      )}
    </Group>
  );
}
