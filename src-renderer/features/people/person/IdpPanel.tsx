import { Alert, Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Person } from '../../../../shared/domain/person.ts';
import type { IdpPanel as IdpPanelData } from '../../../../shared/operations/people.ts';
import { errorText } from '../../../app/errors.ts';
import { useFormat } from '../../../app/format.ts';
import { useOpMutation } from '../../../app/ops.ts';
import { writeText } from '../../../app/server-text.ts';
import { useTexts } from '../../../app/texts.ts';
import { fmtDate } from '../ActionModal.tsx';
import { Panel, Row, type Ask, type May } from './Panel.tsx';
import { AssignTokenButton, NsisLevelBadge } from '../../actions/Kodeviser.tsx';

/** The person in the Local IdP: NSIS status, terms, MFA devices and the identity lock; their writes. */
export function IdpPanel({ p, panel, may, ask }: { p: Person; panel: { ok: true; data: IdpPanelData } | { ok: false; code: string; message: string }; may: May; ask: Ask }) {
  const { t } = useTranslation();
  const texts = useTexts();
  const fmt = useFormat();
  const said = (r: Parameters<typeof writeText>[0]) => writeText(r, texts, (iso) => fmt.dateTime(iso));
  const device = useOpMutation('people.deviceAction');
  const lock = useOpMutation('people.setIdentityLock');
  if (!panel.ok) {
    // Not found is an answer, not an outage: the person has simply not signed in through the IdP yet.
    return (
      <Panel title={t('people.panelIdp')} testId="panel-idp">
        {panel.code === 'not-found' ? (
          <Alert color="gray" data-testid="idp-unknown">{t('people.idpUnknown')}</Alert>
        ) : (
          <Alert color="orange">{t('people.unavailable', { message: errorText(panel) })}</Alert>
        )}
      </Panel>
    );
  }
  const { person: ip, devices, terms } = panel.data;
  const name = p.displayName;
  const act = (deviceId: string, deviceName: string, action: 'lock' | 'unlock' | 'remove' | 'test-push' | 'release-token', label: string, color?: string) =>
    ask({
      title: `${label}: ${deviceName} (${name})`,
      ...(color ? { color } : {}),
      run: async (reason) => said(await device.mutateAsync({ personId: p.id, deviceId, action, reason })),
    });
  return (
    <Panel title={t('people.panelIdp')} testId="panel-idp">
      <Table>
        <Table.Tbody>
          <Row
            k={t('people.nsisStatus')}
            v={
              <Group gap={4}>
                <span>{t(`people.nsis.${ip.nsisStatus}`, { defaultValue: ip.nsisStatus })}</span>
                {ip.locked && (
                  <Badge color="red" variant="outline">
                    {t('people.identityLockedBy', { by: ip.locked.by, reason: ip.locked.reason })}
                  </Badge>
                )}
              </Group>
            }
          />
          <Row k={t('actions.nsisLevel.identity')} v={<NsisLevelBadge level={ip.nsisLevel} />} />
          <Row
            k={t('people.termsAccepted')}
            v={
              <Group gap={4}>
                <span>{ip.acceptedTermsVersion === null ? '–' : t('people.termsVersion', { v: ip.acceptedTermsVersion })}</span>
                {terms[0] && <Text size="xs" c="dimmed">({fmtDate(terms[0].acceptedAt)})</Text>}
                {ip.mustAcceptTerms && <Badge color="yellow" variant="light">{t('people.termsMissing')}</Badge>}
              </Group>
            }
          />
        </Table.Tbody>
      </Table>
      <Text fw={600} size="sm" mt="sm">
        {t('people.devices')}
      </Text>
      {devices.length === 0 ? (
        <Text size="sm">{t('people.noDevices')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.device')}</Table.Th>
              <Table.Th>{t('people.deviceType')}</Table.Th>
              <Table.Th>{t('actions.nsisLevel.title')}</Table.Th>
              <Table.Th>{t('people.lastUsed')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('people.deviceActions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {devices.map((d) => (
              <Table.Tr key={d.id} data-testid="device-row">
                <Table.Td>
                  {d.name} {d.serialNumber && <Text span size="xs" c="dimmed">({d.serialNumber})</Text>}{' '}
                  {d.locked && <Badge color="red" size="xs">{t('people.deviceLocked')}</Badge>}
                </Table.Td>
                <Table.Td>{t(`codes.device.${d.type}`)}</Table.Td>
                <Table.Td><NsisLevelBadge level={d.nsisLevel} /></Table.Td>
                <Table.Td>{fmtDate(d.lastUsed)}</Table.Td>
                <Table.Td>
                  {may('people.deviceAction') && (
                    <Group gap={4} wrap="wrap">
                      {d.locked ? (
                        <Button size="compact-xs" variant="light" onClick={() => act(d.id, d.name, 'unlock', t('people.unlockDevice'))}>
                          {t('people.unlockDevice')}
                        </Button>
                      ) : (
                        <Button size="compact-xs" variant="light" color="orange" onClick={() => act(d.id, d.name, 'lock', t('people.lockDevice'), 'orange')}>
                          {t('people.lockDevice')}
                        </Button>
                      )}
                      {d.type === 'app' && !d.locked && (
                        <Button size="compact-xs" variant="light" onClick={() => act(d.id, d.name, 'test-push', t('people.testPush'))}>
                          {t('people.testPush')}
                        </Button>
                      )}
                      {d.serialNumber ? (
                        <Button size="compact-xs" variant="light" color="red" onClick={() => act(d.id, d.name, 'release-token', t('people.releaseToken'), 'red')}>
                          {t('people.releaseToken')}
                        </Button>
                      ) : (
                        <Button size="compact-xs" variant="light" color="red" onClick={() => act(d.id, d.name, 'remove', t('people.removeDevice'), 'red')}>
                          {t('people.removeDevice')}
                        </Button>
                      )}
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {may('people.assignHardwareToken') && (
        <Group mt="sm">
          <AssignTokenButton p={p} ask={ask} />
        </Group>
      )}
      {may('people.setIdentityLock') && (
        <Group mt="sm">
          {ip.locked ? (
            <Button
              variant="light"
              onClick={() =>
                ask({
                  title: `${t('people.identityUnlock')}: ${name}`,
                  run: async (reason) => said(await lock.mutateAsync({ personId: p.id, locked: false, reason })),
                })
              }
            >
              {t('people.identityUnlock')}
            </Button>
          ) : (
            <Button
              variant="light"
              color="red"
              onClick={() =>
                ask({
                  title: `${t('people.identityLock')}: ${name}`,
                  color: 'red',
                  run: async (reason) => said(await lock.mutateAsync({ personId: p.id, locked: true, reason })),
                })
              }
            >
              {t('people.identityLock')}
            </Button>
          )}
        </Group>
      )}
    </Panel>
  );
}
