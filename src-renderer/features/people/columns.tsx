import type { ReactNode } from 'react';
import { Badge, Group, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { PeopleColumnId, PersonRow, SortKey } from '../../../shared/domain/people.ts';
import { fmtDate } from './ActionModal.tsx';

export interface Column {
  /** The shared ids: saved views and the export name columns the same way. */
  id: PeopleColumnId;
  width: number;
  sort?: SortKey;
  cell(r: PersonRow, t: TFunction): ReactNode;
}

export function AdBadges({ r, t }: { r: PersonRow; t: TFunction }) {
  if (!r.ad) return <Text size="xs" c="dimmed">–</Text>;
  return (
    <Group gap={4} wrap="nowrap">
      {r.ad.enabled ? (
        <Badge color="green" variant="light" size="sm">
          {t('people.enabled')}
        </Badge>
      ) : (
        <Badge color="gray" size="sm">
          {t('people.disabledShort')}
        </Badge>
      )}
      {r.ad.locked && (
        <Badge color="red" size="sm">
          {t('people.locked')}
        </Badge>
      )}
    </Group>
  );
}

export function MitIdBadges({ r, t }: { r: PersonRow; t: TFunction }) {
  const s = r.mitid.state;
  const color = s === 'Active' ? 'green' : s === 'Suspended' ? 'orange' : s === 'none' ? 'gray' : 'yellow';
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={color} variant={s === 'Active' ? 'light' : 'outline'} size="sm">
        {t(`people.mitid.${s}`)}
      </Badge>
      {r.mitid.allowSigning && (
        <Badge color="violet" variant="light" size="sm">
          {t('people.signingYes')}
        </Badge>
      )}
    </Group>
  );
}

const yn = (v: boolean | null, t: TFunction) => (v === null ? '…' : v ? t('people.yes') : t('people.no'));

/** Every column the list can show; the ids are the export's ids too. */
export const allColumns: Column[] = [
  { id: 'displayName', width: 220, sort: 'displayName', cell: (r) => r.displayName },
  { id: 'username', width: 130, sort: 'username', cell: (r) => <Text ff="monospace" size="sm">{r.username}</Text> },
  { id: 'email', width: 220, cell: (r) => r.email ?? '–' },
  { id: 'employeeId', width: 110, cell: (r) => r.employeeId ?? '–' },
  { id: 'ouPath', width: 200, sort: 'ouPath', cell: (r) => r.ouPath || '–' },
  { id: 'adState', width: 150, sort: 'adState', cell: (r, t) => <AdBadges r={r} t={t} /> },
  { id: 'passwordAge', width: 200, sort: 'passwordAge', cell: (r, t) => (r.ad?.passwordAgeDays == null ? '–' : t('people.days', { count: r.ad.passwordAgeDays })) },
  { id: 'passwordExpires', width: 170, cell: (r) => fmtDate(r.ad?.passwordExpires, false) },
  { id: 'accountExpires', width: 120, sort: 'accountExpires', cell: (r) => fmtDate(r.ad?.accountExpires, false) },
  { id: 'mitidState', width: 190, sort: 'mitidState', cell: (r, t) => <MitIdBadges r={r} t={t} /> },
  { id: 'localCredential', width: 150, cell: (r, t) => yn(r.mitid.localCredential, t) },
  { id: 'signing', width: 100, cell: (r, t) => yn(r.mitid.allowSigning, t) },
  { id: 'deviceCount', width: 120, sort: 'deviceCount', cell: (r) => (r.idp.deviceCount ?? (r.idp.loaded ? '–' : '…')) },
  {
    id: 'nsisStatus',
    width: 150,
    sort: 'nsisStatus',
    cell: (r, t) => (
      <Group gap={4} wrap="nowrap">
        <span>{r.idp.nsisStatus ? t(`people.nsis.${r.idp.nsisStatus}`, { defaultValue: r.idp.nsisStatus }) : r.idp.loaded ? '–' : '…'}</span>
        {r.idp.locked && (
          <Badge color="red" variant="outline" size="xs">
            {t('people.idpLocked')}
          </Badge>
        )}
      </Group>
    ),
  },
  { id: 'terms', width: 70, sort: 'terms', cell: (r) => (r.idp.acceptedTermsVersion === null ? '–' : `v${r.idp.acceptedTermsVersion}`) },
  {
    id: 'drift',
    width: 200,
    sort: 'drift',
    cell: (r, t) =>
      r.drift.length === 0 ? (
        ''
      ) : (
        <Group gap={4}>
          {r.drift.map((d) => (
            <Badge key={d} color="orange" variant="light" size="xs" title={t(`people.driftKind.${d}`)}>
              {t(`people.driftKind.${d}`)}
            </Badge>
          ))}
        </Group>
      ),
  },
];

export const defaultColumns: PeopleColumnId[] = ['displayName', 'username', 'ouPath', 'adState', 'passwordAge', 'mitidState', 'deviceCount', 'nsisStatus', 'terms', 'drift'];
