import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { ReasonField } from '../../components/ReasonField.tsx';
import { useTranslation } from 'react-i18next';
import type { OpError } from '../../app/transport.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import i18n from '../../app/i18n.ts';
import { formatterFor } from '../../app/format.ts';

export interface ActionRequest {
  /** Modal title, e.g. "Lås op: Søren Hansen". */
  title: string;
  /** What will happen, said plainly before the operator confirms (fees, next steps). */
  explain?: ReactNode;
  color?: string;
  /** Runs the write with the reason; resolves with the outcome message to show. */
  run(reason: string): Promise<string>;
}

/**
 * Every write about a person goes through here: it asks for a reason (the dispatcher insists, and the
 * field shows its Danish message), runs, and hands the outcome back to the panel that shows it.
 */
export function ActionModal({ request, onClose, onDone }: { request: ActionRequest | null; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<OpError | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  const close = () => {
    setReason('');
    setError(null);
    onClose();
  };
  return (
    <Modal opened={request !== null} onClose={close} title={request?.title ?? ''} size="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!request || busy) return;
          setBusy(true);
          request
            .run(reason)
            .then((message) => {
              setReason('');
              setError(null);
              onDone(message);
            })
            .catch((err: OpError) => setError(err))
            .finally(() => setBusy(false));
        }}
      >
        <Stack>
          {request?.explain && (
            <Alert color="blue" variant="light">
              {request.explain}
            </Alert>
          )}
          <ReasonField
            value={reason}
            onChange={(v) => {
              setReason(v);
              setError(null);
            }}
            error={fields.reason}
            autoFocus
          />
          {error && !fields.reason && (
            <Alert color="red" title={t('people.writeFailed')}>
              {errorText(error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('people.cancel')}
            </Button>
            <Button type="submit" loading={busy} color={request?.color}>
              {t('people.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A date (and time) in the operator's language, through the one formatter; '–' when there is none. */
export const fmtDate = (iso: string | null | undefined, withTime = true) => {
  const f = formatterFor(i18n.language);
  return (withTime ? f.dateTime(iso) : f.date(iso)) || '–';
};
