import '../i18n.ts';
import { useEffect, useRef, useState } from 'react';
import { Alert, Drawer, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { can } from '../../../../shared/access.ts';
import { errorText } from '../../../app/errors.ts';
import { useOp } from '../../../app/ops.ts';
import { useOperator } from '../../session/useOperator.ts';
import { ActionModal, type ActionRequest } from '../ActionModal.tsx';
import { AdPanel } from './AdPanel.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { IdpPanel } from './IdpPanel.tsx';
import { MitIdPanel } from './MitIdPanel.tsx';
import { personWrites, type May } from './Panel.tsx';
import { ResetPasswordModal } from './ResetPasswordModal.tsx';

/**
 * The person page: one panel per system, each with the actions main will accept from this operator on
 * this person. The drawer keeps what outlives a panel's re-render: the dialog open, the outcome shown
 * and a revealed CPR number, each tied to the person it belongs to.
 */
export function PersonDrawer({ personId, onClose }: { personId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const operator = useOperator();
  const overview = useOp('people.overview', { personId: personId ?? '' }, { enabled: personId !== null });
  const [request, setRequest] = useState<ActionRequest | null>(null);
  // Outcome and revealed CPR belong to the person they were shown for.
  const [outcomeFor, setOutcomeFor] = useState<{ personId: string | null; message: string } | null>(null);
  const [resetting, setResetting] = useState(false);
  const [cprFor, setCprFor] = useState<{ personId: string | null; cpr: string } | null>(null);
  const outcome = outcomeFor?.personId === personId ? outcomeFor.message : null;
  const setOutcome = (message: string | null) => setOutcomeFor(message === null ? null : { personId, message });
  const cpr = cprFor?.personId === personId ? cprFor.cpr : null;
  const setCpr = (c: string) => setCprFor({ personId, cpr: c });

  const p = overview.data?.person;
  // The same decision main makes on every call, asked for this person.
  const may: May = (op) => !!p && can(operator, op, { dn: p.dn }).allowed;

  // After a write the button that opened the dialog may be gone (Unlock, once unlocked): focus goes to
  // the outcome, which also reads it out, instead of falling to the page behind the drawer.
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!outcome) return;
    // After the dialog's own focus return (Mantine's, a few ms after it closes) found nothing to land on.
    const timer = setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body || !active.isConnected) outcomeRef.current?.focus();
    }, 60);
    return () => clearTimeout(timer);
  }, [outcome]);

  const done = (message: string) => {
    setRequest(null);
    setOutcome(message);
  };

  return (
    <Drawer
      opened={personId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={p?.displayName ?? t('people.personPage')}
      // Esc closes the dialog on top only: Mantine's drawer and modal each listen on the window.
      closeOnEscape={request === null && !resetting}
    >
      {overview.isLoading && <Loader size="sm" />}
      {overview.error && <Alert color="red">{errorText(overview.error)}</Alert>}
      {p && overview.data && (
        <Stack>
          {outcome && (
            <Alert color="green" withCloseButton onClose={() => setOutcome(null)} data-testid="person-outcome" ref={outcomeRef} tabIndex={-1} role="status">
              {outcome}
            </Alert>
          )}
          {!personWrites.some(may) && (
            <Text size="sm" c="dimmed">
              {t('people.noWrite')}
            </Text>
          )}
          <AdPanel p={p} policy={overview.data.adPolicy} may={may} ask={setRequest} onReset={() => setResetting(true)} />
          <MitIdPanel
            p={p}
            panel={overview.data.mitid}
            may={may}
            ask={setRequest}
            cpr={cpr}
            onCpr={setCpr}
          />
          <IdpPanel p={p} panel={overview.data.idp} may={may} ask={setRequest} />
          <HistoryPanel personId={p.id} />
        </Stack>
      )}
      <ActionModal request={request} onClose={() => setRequest(null)} onDone={done} />
      {p && <ResetPasswordModal personId={p.id} name={p.displayName} opened={resetting} onClose={() => setResetting(false)} onDone={setOutcome} />}
    </Drawer>
  );
}
