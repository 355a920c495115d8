import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { download } from '../../app/download.ts';
import { inBackground } from '../../app/background.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { ReasonField } from '../../components/ReasonField.tsx';
import type { ReadinessFix, ReadinessItem, ReadinessStatus } from '../../../shared/operations/fullservice.ts';
import { FULL_SERVICE_MAX_TRIES_BEFORE_LOCK, FULL_SERVICE_MIN_LENGTH, FULL_SERVICE_MIN_LOCKED_MINUTES } from '../../../shared/idp/password-policy.ts';
import type { OpName } from '../../../shared/operations/index.ts';
import { useCan } from '../session/useOperator.ts';
import { readinessText, readinessTextKey } from '../../../shared/domain/readiness-text.ts';
import { useFormat } from '../../app/format.ts';
import { ToggleTemplateModal } from './MailTemplatesTab.tsx';
import './i18n.ts';

const statusColor: Record<ReadinessStatus, string> = { ok: 'green', fail: 'red', unknown: 'yellow' };
const statusText: Record<ReadinessStatus, string> = { ok: 'green.9', fail: 'red.9', unknown: 'dark.9' };

/** Which operation each fix calls: the button shows only when main would accept it. */
const fixOperation: Record<ReadinessFix['kind'], OpName> = {
  'raise-policy': 'policy.update',
  'mirror-ad': 'policy.mirrorToAd',
  'export-forced': 'readiness.exportForced',
  'review-addendum': 'terms.publish',
  'disable-template': 'mail.update',
  'open-policies': 'policy.list',
};

/** Raises a domain's policy to the Full Service floor: the rest of its settings stay as they are. */
function RaisePolicyModal({ domain, onClose }: { domain: string; onClose(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const policy = useOp('policy.get', { domain });
  const update = useOpMutation('policy.update');
  const f = fieldErrors(update.error);
  const p = policy.data?.policy;
  return (
    <Modal opened onClose={onClose} title={t('readiness.fixes.raiseTitle', { domain })}>
      <Stack>
        {!p && <Loader size="sm" aria-label={t('readiness.loading')} />}
        {p && (
          <Text size="sm">
            {t('readiness.fixes.raiseText', {
              from: p.settings.minLength, to: Math.max(p.settings.minLength, FULL_SERVICE_MIN_LENGTH),
              tries: Math.min(p.settings.triesBeforeLock, FULL_SERVICE_MAX_TRIES_BEFORE_LOCK), minutes: Math.max(p.settings.lockedMinutes, FULL_SERVICE_MIN_LOCKED_MINUTES),
            })}
          </Text>
        )}
        <ReasonField value={reason} onChange={setReason} error={f.reason} autoFocus />
        {update.error && !f.reason && <Alert color="red" role="alert">{errorText(update.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('readiness.cancel')}</Button>
          <Button disabled={!p} loading={update.isPending}
            onClick={() => p && update.mutate({
              domain, basedOnVersion: p.version, reason,
              settings: {
                ...p.settings,
                minLength: Math.max(p.settings.minLength, FULL_SERVICE_MIN_LENGTH),
                maxLength: Math.max(p.settings.maxLength, FULL_SERVICE_MIN_LENGTH),
                triesBeforeLock: Math.min(p.settings.triesBeforeLock, FULL_SERVICE_MAX_TRIES_BEFORE_LOCK),
                lockedMinutes: Math.max(p.settings.lockedMinutes, FULL_SERVICE_MIN_LOCKED_MINUTES),
              },
            }, { onSuccess: onClose })}>
            {t('readiness.fixes.raise')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function MirrorModal({ domain, onClose }: { domain: string; onClose(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const mirror = useOpMutation('policy.mirrorToAd');
  const f = fieldErrors(mirror.error);
  const failed = mirror.data && mirror.data.state !== 'mirrored' ? mirror.data.message : null;
  return (
    <Modal opened onClose={onClose} title={t('readiness.fixes.mirrorTitle', { domain })}>
      <Stack>
        <Text size="sm">{t('readiness.fixes.mirrorText')}</Text>
        <ReasonField value={reason} onChange={setReason} error={f.reason} autoFocus />
        {failed && <Alert color="red" role="alert">{failed}</Alert>}
        {mirror.error && !f.reason && <Alert color="red" role="alert">{errorText(mirror.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('readiness.cancel')}</Button>
          <Button loading={mirror.isPending} onClick={() => mirror.mutate({ domain, reason }, { onSuccess: (r) => r.state === 'mirrored' && onClose() })}>
            {t('readiness.fixes.mirror')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Review the addendum: edit out what the fixed NSIS terms now say, and publish it as reviewed. */
function ReviewAddendumModal({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const terms = useOp('terms.get', {});
  const [text, setText] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const publish = useOpMutation('terms.publish');
  const f = fieldErrors(publish.error);
  const content = text ?? terms.data?.current?.content ?? '';
  return (
    <Modal opened onClose={onClose} size="xl" title={t('readiness.fixes.reviewTitle')}>
      <Stack>
        <Text size="sm">{t('readiness.fixes.reviewText')}</Text>
        {terms.data && (
          <details>
            <summary>{t('readiness.fixes.nsisTerms')}</summary>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{terms.data.nsis.content}</Text>
          </details>
        )}
        <Textarea label={t('readiness.fixes.addendum')} value={content} autosize minRows={6} maxRows={14} onChange={(e) => setText(e.currentTarget.value)} error={f.content} />
        <ReasonField value={reason} onChange={setReason} error={f.reason} />
        {publish.error && !f.reason && !f.content && <Alert color="red" role="alert">{errorText(publish.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('readiness.cancel')}</Button>
          <Button disabled={!terms.data} loading={publish.isPending}
            onClick={() => publish.mutate({ content, requiresReacceptance: false, basedOnVersion: terms.data?.newest ?? null, reason }, { onSuccess: onClose })}>
            {t('readiness.fixes.review')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Item({ item, onFix, exporting }: { item: ReadinessItem; onFix(f: ReadinessFix): void; exporting: boolean }) {
  const { t, i18n } = useTranslation();
  const may = useCan();
  const p = item.params;
  // Titles, reasons and status words come from the one readiness text table the PDF is written from too.
  const words = readinessText(i18n.language);
  const text = words.items[readinessTextKey(item)];
  const headingId = `ri-${item.kind}-${item.domain ?? 'idp'}-${String(p['type'] ?? '')}`;
  return (
    <Paper withBorder p="sm" component="li" aria-labelledby={headingId} data-testid={`item-${item.kind}-${item.domain ?? 'idp'}`} data-status={item.status} style={{ listStyle: 'none' }}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ flex: 1 }}>
          <Group gap="xs">
            <Badge color={statusColor[item.status]} c={statusText[item.status]} variant="light">{words.status[item.status]}</Badge>
            <Title order={3} size="h6" id={headingId}>{text.title(p)}</Title>
          </Group>
          <Text size="sm">{text.why}</Text>
          {item.details.map((d) => <Text key={d} size="xs" c="dark.6">{d}</Text>)}
        </Stack>
        {item.fix && may(fixOperation[item.fix.kind]) && (
          <Button size="xs" variant={item.status === 'ok' ? 'default' : 'filled'} loading={item.fix.kind === 'export-forced' && exporting} onClick={() => onFix(item.fix!)}
            aria-describedby={headingId}>
            {t(`readiness.fixes.button.${item.fix.kind}`)}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

export function ReadinessPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const may = useCan();
  // The check answers in the operator's language (its facts, the PDF and the CSV), so the language is input.
  const language = fmt.language;
  const report = useOp('readiness.check', { language });
  const pdf = useOpMutation('readiness.exportPdf');
  const forced = useOpMutation('readiness.exportForced');
  const [fix, setFix] = useState<ReadinessFix | null>(null);
  const onFix = (f: ReadinessFix) => {
    if (f.kind === 'export-forced') {
      forced.mutate({ domain: f.domain, language }, { onSuccess: (r) => download(r.filename, 'text/csv;charset=utf-8', { text: r.csv }) });
      return;
    }
    if (f.kind === 'open-policies') {
      window.location.hash = '#/politikker';
      return;
    }
    setFix(f);
  };
  const r = report.data;
  const groups = new Map<string, ReadinessItem[]>();
  for (const i of r?.items ?? []) groups.set(i.domain ?? '', [...(groups.get(i.domain ?? '') ?? []), i]);
  const open = r?.items.filter((i) => i.status !== 'ok').length ?? 0;
  const nameOf = (d: string) => r?.domains.find((x) => x.domain === d)?.displayName ?? d;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('readiness.title')}</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => inBackground(report.refetch(), 'readiness.check')} loading={report.isFetching}>{t('readiness.recheck')}</Button>
          {may('readiness.exportPdf') && (
            <Button variant="default" loading={pdf.isPending} disabled={!r}
              onClick={() => pdf.mutate({ language }, { onSuccess: (x) => download(x.filename, 'application/pdf', { base64: x.pdfBase64 }) })}>
              {t('readiness.exportPdf')}
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm">{t('readiness.intro')}</Text>
      {report.error && <Alert color="red" role="alert">{errorText(report.error)}</Alert>}
      {pdf.error && <Alert color="red" role="alert">{errorText(pdf.error)}</Alert>}
      {forced.error && <Alert color="red" role="alert">{errorText(forced.error)}</Alert>}
      {!r && !report.error && <Loader aria-label={t('readiness.loading')} />}
      {r && (
        <Alert color={r.ready ? 'green' : 'red'} role="status" data-testid="readiness-summary" title={r.ready ? t('readiness.ready') : t('readiness.notReady', { count: open })}>
          {t('readiness.checkedAt', { at: fmt.dateTime(r.checkedAt) })}
          {r.domains.some((d) => !d.nsis) && ` ${t('readiness.exempt', { domains: r.domains.filter((d) => !d.nsis).map((d) => d.domain).join(', ') })}`}
        </Alert>
      )}
      {[...groups].map(([domain, items]) => (
        <section key={domain || 'idp'} aria-labelledby={`rg-${domain || 'idp'}`}>
          <Title order={2} size="h4" id={`rg-${domain || 'idp'}`} mb="xs">
            {domain ? t('readiness.domain', { name: nameOf(domain) }) : t('readiness.wholeIdp')}
          </Title>
          <Stack gap="xs" component="ul" p={0} m={0}>
            {items.map((i) => <Item key={`${i.kind}-${String(i.params['type'] ?? '')}`} item={i} onFix={onFix} exporting={forced.isPending} />)}
          </Stack>
        </section>
      ))}
      {fix?.kind === 'raise-policy' && <RaisePolicyModal domain={fix.domain} onClose={() => setFix(null)} />}
      {fix?.kind === 'mirror-ad' && <MirrorModal domain={fix.domain} onClose={() => setFix(null)} />}
      {fix?.kind === 'review-addendum' && <ReviewAddendumModal onClose={() => setFix(null)} />}
      {fix?.kind === 'disable-template' && <ToggleTemplateModal template={{ type: fix.type, version: fix.version }} enable={false} onClose={() => setFix(null)} />}
    </Stack>
  );
}
