import '../i18n.ts';
import { useEffect, useRef, useState } from 'react';
import { Alert, Drawer, Group, Loader, Stack, Text } from '@mantine/core';
import { AccountBadge, IdentityBadge, SigningBadge } from '../StateBadges.tsx';
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
export function PersonDrawer({ personId, onClose, onClosed }: { personId: string | null; onClose: () => void; onClosed: () => void }) {
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

  // Focus goes back to the control that opened a dialog; after a write that control may be gone
  // (Lås op, once unlocked): focus then goes to the outcome, which also reads it out, instead of falling
  // to the page behind the drawer.
  const opener = useRef<HTMLElement | null>(null);
  const ask = (r: ActionRequest) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setRequest(r);
  };
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!outcome) return;
    // After the dialog's own focus return (Mantine's, a few ms after it closes).
    const timer = setTimeout(() => {
      const back = opener.current;
      if (back?.isConnected && !back.hasAttribute('disabled')) back.focus();
      else outcomeRef.current?.focus();
    }, 120);
    return () => clearTimeout(timer);
  }, [outcome]);
  // The opener may go only when the fresh data arrives (the button of a state that is no more), however
  // late that is: then the focus, dropped to the page, goes to the outcome.
  useEffect(() => {
    if (!outcome) return;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) outcomeRef.current?.focus();
  }, [outcome, overview.data]);

  const done = (message: string) => {
    setRequest(null);
    setOutcome(message);
  };

  return (
    <Drawer
      opened={personId !== null}
      onClose={onClose}
      // The page returns the focus itself once the drawer is gone (the opener may have been replaced).
      returnFocus={false}
      onExitTransitionEnd={onClosed}
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
          <Group
            gap={4}
            data-testid="person-states"
            aria-label={t('people.statesLabel')}
            data-states={`${overview.data.states.account} ${overview.data.states.identity} ${overview.data.states.signing}`}
          >
            <AccountBadge state={overview.data.states.account} t={t} />
            <IdentityBadge state={overview.data.states.identity} t={t} />
            <SigningBadge state={overview.data.states.signing} t={t} />
          </Group>
          <AdPanel p={p} states={overview.data.states} policy={overview.data.adPolicy} may={may} ask={ask} onReset={() => setResetting(true)} />
          <MitIdPanel
            p={p}
            states={overview.data.states}
            blockers={overview.data.blockers}
            panel={overview.data.mitid}
            may={may}
            ask={ask}
            cpr={cpr}
            onCpr={setCpr}
          />
          <IdpPanel p={p} panel={overview.data.idp} may={may} ask={ask} />
          <HistoryPanel personId={p.id} />
        </Stack>
      )}
      <ActionModal request={request} onClose={() => setRequest(null)} onDone={done} />
      {p && <ResetPasswordModal personId={p.id} name={p.displayName} opened={resetting} onClose={() => setResetting(false)} onDone={setOutcome} />}
    </Drawer>
  );
}
