import { useRef, useState } from 'react';
import { Badge, Button, Group, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { Person } from '../../../shared/domain/person.ts';
import type { NsisLevel } from '../../../shared/idp/people.ts';
import { KodeviserSerial } from '../../../shared/operations/tokens.ts';
import { useOp, useOpMutation } from '../../app/ops.ts';
import { useFormat } from '../../app/format.ts';
import { tokenCheckText, writeText } from '../../app/server-text.ts';
import { useTexts } from '../../app/texts.ts';
import type { Ask } from '../people/person/Panel.tsx';
import './i18n.ts';

/** The serial number field: its format checked as typed, then the IdP asked whether the kodeviser exists and is free. */
function SerialField({ personId, onChange }: { personId: string; onChange(value: string): void }) {
  const { t } = useTranslation();
  const texts = useTexts();
  const [value, setValue] = useState('');
  const [typed] = useDebouncedValue(value, 300);
  const format = KodeviserSerial.safeParse(typed);
  const check = useOp('people.checkHardwareToken', { personId, serialNumber: typed }, { enabled: format.success, staleTime: 0 });
  const state = format.success ? check.data?.state : typed.trim() ? 'invalid' : null;
  const message = format.success
    ? check.data && tokenCheckText(check.data, texts)
    : typed.trim() ? tokenCheckText({ state: 'invalid', serialNumber: typed, message: format.error.issues[0]?.message }, texts) : null;
  const color = state === 'free' ? 'green' : state === 'assigned-here' ? 'blue' : 'red';
  return (
    <div>
      <TextInput
        label={t('actions.token.serial')}
        description={t('actions.token.serialHelp')}
        value={value}
        onChange={(e) => {
          setValue(e.currentTarget.value);
          onChange(e.currentTarget.value);
        }}
        data-autofocus
        data-testid="token-serial"
        error={state && state !== 'free' && state !== 'assigned-here' ? message : undefined}
        autoComplete="off"
      />
      {(state === 'free' || state === 'assigned-here') && (
        <Text size="sm" c={color} mt={4} data-testid="token-check" role="status">
          {message}
        </Text>
      )}
    </div>
  );
}

/** "Tildel kodeviser": a serial number, checked with the IdP, and a reason; journaled like every write. */
export function AssignTokenButton({ p, ask }: { p: Person; ask: Ask }) {
  const { t } = useTranslation();
  const texts = useTexts();
  const fmt = useFormat();
  const assign = useOpMutation('people.assignHardwareToken');
  const serial = useRef('');
  return (
    <Button
      variant="light"
      onClick={() => {
        serial.current = '';
        ask({
          title: `${t('actions.token.assign')}: ${p.displayName}`,
          explain: <SerialField personId={p.id} onChange={(v) => (serial.current = v)} />,
          run: async (reason) => writeText(await assign.mutateAsync({ personId: p.id, serialNumber: serial.current, reason }), texts, (iso) => fmt.dateTime(iso)),
        });
      }}
    >
      {t('actions.token.assign')}
    </Button>
  );
}

/** A short word in a narrow column is shown whole, not cut to "BETYD…". */
const noTruncate = { root: { overflow: 'visible' }, label: { overflow: 'visible', textOverflow: 'clip' } } as const;

const levelColor: Record<NsisLevel, string> = { none: 'gray', low: 'yellow', substantial: 'teal', high: 'green' };

/** An NSIS assurance level as the operator reads it (Ingen, Lav, Betydelig, Høj). */
export function NsisLevelBadge({ level }: { level: NsisLevel | null | undefined }) {
  const { t } = useTranslation();
  if (!level) return <Text span size="sm">–</Text>;
  const label = { none: t('actions.nsisLevel.none'), low: t('actions.nsisLevel.low'), substantial: t('actions.nsisLevel.substantial'), high: t('actions.nsisLevel.high') }[level];
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" variant="light" color={levelColor[level]} data-testid="nsis-level" data-level={level} styles={noTruncate}>
        {label}
      </Badge>
    </Group>
  );
}
