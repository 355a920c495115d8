import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Code, CopyButton, Group, List, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { ReasonField } from '../../../components/ReasonField.tsx';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { generatePassphrase } from '../../../../shared/domain/people.ts';
import { useOp, useOpMutation } from '../../../app/ops.ts';
import { errorText, fieldErrors } from '../../../app/errors.ts';
import type { OpError } from '../../../app/transport.ts';

/**
 * Reset a password: suggest a speakable passphrase (or type one), check it against the person's effective
 * policy before anything is sent, "must change at next logon" on by default, then show it once.
 */
export function ResetPasswordModal(props: { personId: string; name: string; opened: boolean; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [shownOnce, setShownOnce] = useState<{ message: string } | null>(null);
  const close = () => {
    if (shownOnce) props.onDone(shownOnce.message);
    setShownOnce(null);
    props.onClose();
  };
  return (
    <Modal opened={props.opened} onClose={close} title={`${t('people.resetPassword')}: ${props.name}`} size="lg">
      {props.opened && <ResetForm personId={props.personId} onShown={setShownOnce} onClose={close} />}
    </Modal>
  );
}

function ResetForm({ personId, onShown, onClose }: { personId: string; onShown: (s: { message: string }) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState(() => generatePassphrase());
  const [mustChange, setMustChange] = useState(true);
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState<{ password: string; message: string } | null>(null);
  // The form (and its focused submit button) is replaced by the shown-once view: focus moves to "Done"
  // instead of falling to the page (data-autofocus only acts when the modal opens).
  const doneRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (shown) doneRef.current?.focus();
  }, [shown]);
  const [debounced] = useDebouncedValue(password, 250);
  const check = useOp('people.checkPassword', { personId, password: debounced }, { enabled: debounced.length > 0 && !shown });
  const reset = useOpMutation('people.resetPassword');
  const [error, setError] = useState<OpError | null>(null);
  const fields = fieldErrors(error);
  const close = onClose;
  const current = check.data && debounced === password ? check.data : null;

  return (
    <>
      {shown ? (
        <Stack>
          <Alert color="green">{shown.message}</Alert>
          <Text>{t('people.showOnce')}</Text>
          <Group>
            <Code fz="xl" data-testid="new-password">
              {shown.password}
            </Code>
            <CopyButton value={shown.password}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy}>
                  {copied ? t('people.copied') : t('people.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={close} data-autofocus ref={doneRef}>
              {t('people.done')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            reset.mutate(
              { personId, password, mustChange, reason },
              {
                onSuccess: () => {
                  // Said by the renderer, in the operator's language (main's message is Danish).
                  const message = t(mustChange ? 'people.resetDoneMustChange' : 'people.resetDone');
                  setShown({ password, message });
                  onShown({ message });
                },
                onError: (err) => setError(err),
              },
            );
          }}
        >
          <Stack>
            <Group align="flex-end" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                label={t('people.newPassword')}
                value={password}
                autoComplete="off"
                spellCheck={false}
                ff="monospace"
                onChange={(e) => {
                  setPassword(e.currentTarget.value);
                  setError(null);
                }}
                error={fields.password}
                data-testid="reset-password-input"
              />
              <Button variant="default" onClick={() => setPassword(generatePassphrase())}>
                {t('people.generate')}
              </Button>
            </Group>
            {password && !current && <Text size="sm" c="dimmed">{t('people.checking')}</Text>}
            {current?.ok && (
              <Text size="sm" c="green" data-testid="policy-ok">
                ✓ {t('people.policyOk', { policy: current.policy })}
              </Text>
            )}
            {current && !current.ok && (
              <Alert color="orange" data-testid="policy-problems">
                <List size="sm">
                  {current.problems.map((p) => (
                    <List.Item key={p.code}>{t(`codes.password.${p.code}`, p.params ?? {})}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            <Switch label={t('people.mustChangeNext')} checked={mustChange} onChange={(e) => setMustChange(e.currentTarget.checked)} />
            <ReasonField
              value={reason}
              onChange={(v) => {
                setReason(v);
                setError(null);
              }}
              error={fields.reason}
            />
            {error && !fields.reason && !fields.password && <Alert color="red">{errorText(error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('people.cancel')}
              </Button>
              <Button type="submit" loading={reset.isPending} disabled={current !== null && !current.ok}>
                {t('people.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </>
  );
}
