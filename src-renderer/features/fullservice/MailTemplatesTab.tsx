import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { ReasonField } from '../../components/ReasonField.tsx';
import { mailPlaceholders, mailTextProblems, type MailTemplate } from '../../../shared/idp/mail-templates.ts';
import { useCan } from '../session/useOperator.ts';
import { MailPreview, previewSubject } from './MailPreview.tsx';
import './i18n.ts';

/** Switch a municipal template on or off, with a reason. Also the readiness screen's fix for a duplicate. */
export function ToggleTemplateModal({ template, enable, onClose }: { template: Pick<MailTemplate, 'type' | 'version'>; enable: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const update = useOpMutation('mail.update');
  const f = fieldErrors(update.error);
  return (
    <Modal opened onClose={onClose} title={t(enable ? 'mail.enableTitle' : 'mail.disableTitle', { type: template.type })}>
      <Stack>
        <Text size="sm">{t(enable ? 'mail.enableText' : 'mail.disableText')}</Text>
        <ReasonField value={reason} onChange={setReason} error={f.reason} autoFocus />
        {update.error && !f.reason && <Alert color="red" role="alert">{errorText(update.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('mail.cancel')}</Button>
          <Button loading={update.isPending} onClick={() => update.mutate({ type: template.type, basedOnVersion: template.version, enabled: enable, reason }, { onSuccess: onClose })}>
            {t(enable ? 'mail.enable' : 'mail.disable')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function EditModal({ template, editable, onClose }: { template: MailTemplate; editable: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [reason, setReason] = useState('');
  const update = useOpMutation('mail.update');
  const f = fieldErrors(update.error);
  const problems = [...mailTextProblems(subject, 'subject'), ...mailTextProblems(body, 'body')];
  const changed = subject !== template.subject || body !== template.body;
  return (
    <Modal opened onClose={onClose} size="xl" title={t(editable ? 'mail.editTitle' : 'mail.viewTitle', { type: template.type })}>
      <Stack>
        {template.fixed && <Alert color="blue">{t('mail.fixedNote')}</Alert>}
        <TextInput label={t('mail.subject')} value={subject} readOnly={!editable} onChange={(e) => setSubject(e.currentTarget.value)} error={f.subject} />
        <Textarea label={t('mail.body')} description={editable ? t('mail.bodyHelp') : undefined} value={body} readOnly={!editable} autosize minRows={4} maxRows={10}
          onChange={(e) => setBody(e.currentTarget.value)} error={f.body} styles={{ input: { fontFamily: 'monospace' } }} />
        {editable && <Text size="xs" c="dimmed">{t('mail.placeholders')}: {mailPlaceholders.join(' ')}</Text>}
        {problems.length > 0 && (
          <Alert color="red" role="alert" title={t('mail.refused')}>
            <Stack gap={2}>{problems.map((p) => <Text key={p} size="sm">{p}</Text>)}</Stack>
          </Alert>
        )}
        <Paper withBorder p="sm" aria-label={t('mail.preview')}>
          <Title order={3} size="h6">{t('mail.preview')}</Title>
          <Text fw={600} mt={4}>{previewSubject(subject)}</Text>
          <MailPreview body={body} />
        </Paper>
        {editable && <ReasonField value={reason} onChange={setReason} error={f.reason} />}
        {update.error && !f.reason && !f.body && !f.subject && <Alert color="red" role="alert">{errorText(update.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t(editable ? 'mail.cancel' : 'mail.close')}</Button>
          {editable && (
            <Button disabled={problems.length > 0 || !changed} loading={update.isPending}
              onClick={() => update.mutate({ type: template.type, basedOnVersion: template.version, ...(subject !== template.subject ? { subject } : {}), ...(body !== template.body ? { body } : {}), reason }, { onSuccess: onClose })}>
              {t('mail.save')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

export function MailTemplatesTab() {
  const { t } = useTranslation();
  const may = useCan();
  const list = useOp('mail.list', {});
  const [open, setOpen] = useState<{ template: MailTemplate; mode: 'edit' | 'toggle' } | null>(null);
  if (list.error) return <Alert color="red">{errorText(list.error)}</Alert>;
  const templates = list.data?.templates ?? [];
  const editor = may('mail.update');
  return (
    <Stack>
      <Text size="sm">{t('mail.intro')}</Text>
      <Table striped highlightOnHover aria-label={t('mail.tableLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('mail.type')}</Table.Th>
            <Table.Th>{t('mail.subject')}</Table.Th>
            <Table.Th>{t('mail.state')}</Table.Th>
            <Table.Th>{t('mail.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {templates.map((m) => (
            <Table.Tr key={m.type} data-testid={`template-${m.type}`}>
              <Table.Td>
                <Text size="sm" fw={600}>{m.label}</Text>
                <Text size="xs" c="dimmed">{m.type}</Text>
              </Table.Td>
              <Table.Td><Text size="sm">{m.subject}</Text></Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {m.fixed && <Badge color="blue" variant="light">{t('mail.fixed')}</Badge>}
                  <Badge color={m.enabled ? 'green' : 'gray'} variant="light" c={m.enabled ? 'green.9' : 'dark.6'}>{t(m.enabled ? 'mail.enabled' : 'mail.disabled')}</Badge>
                </Group>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Button size="xs" variant="default" onClick={() => setOpen({ template: m, mode: 'edit' })}>
                    {t(editor && !m.fixed ? 'mail.edit' : 'mail.view')}
                  </Button>
                  {editor && !m.fixed && (
                    <Button size="xs" variant="default" onClick={() => setOpen({ template: m, mode: 'toggle' })}>
                      {t(m.enabled ? 'mail.disable' : 'mail.enable')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {open?.mode === 'edit' && <EditModal template={open.template} editable={editor && !open.template.fixed} onClose={() => setOpen(null)} />}
      {open?.mode === 'toggle' && <ToggleTemplateModal template={open.template} enable={!open.template.enabled} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
