import type { ReactNode } from 'react';
import { Badge, Group, Text } from '@mantine/core';
import { AccountBadge, MitIdStates } from './StateBadges.tsx';
import type { TFunction } from 'i18next';
import type { PeopleColumnId, PersonRow, SortKey } from '../../../shared/domain/people.ts';
import { fmtDate } from './ActionModal.tsx';
import { NsisLevelBadge } from '../actions/Kodeviser.tsx';
import { NsisLevel } from '../../../shared/idp/people.ts';

/** The row's level as the IdP said it; a value this console does not know reads as none shown. */
const nsisLevelOf = (v: string | null | undefined) => NsisLevel.safeParse(v).data ?? null;

export interface Column {
  /** The shared ids: saved views and the export name columns the same way. */
  id: PeopleColumnId;
  width: number;
  sort?: SortKey;
  cell(r: PersonRow, t: TFunction): ReactNode;
}

export function AdBadges({ r, t }: { r: PersonRow; t: TFunction }) {
  if (!r.ad) return <Text size="xs" c="dimmed">–</Text>;
  return <AccountBadge state={r.states.account} t={t} size="xs" />;
}

export function MitIdBadges({ r, t }: { r: PersonRow; t: TFunction }) {
  return <MitIdStates states={r.states} t={t} size="xs" />;
}

const yn = (v: boolean | null, t: TFunction) => (v === null ? '…' : v ? t('people.yes') : t('people.no'));

/** Every column the list can show; the ids are the export's ids too. */
export const allColumns: Column[] = [
  { id: 'displayName', width: 170, sort: 'displayName', cell: (r) => r.displayName },
  { id: 'username', width: 95, sort: 'username', cell: (r) => <Text ff="monospace" size="sm">{r.username}</Text> },
  { id: 'email', width: 220, cell: (r) => r.email ?? '–' },
  { id: 'employeeId', width: 110, cell: (r) => r.employeeId ?? '–' },
  { id: 'domain', width: 120, cell: (r) => r.domain?.name ?? '–' },
  { id: 'ouPath', width: 130, sort: 'ouPath', cell: (r) => r.ouPath || '–' },
  { id: 'adState', width: 100, sort: 'adState', cell: (r, t) => <AdBadges r={r} t={t} /> },
  { id: 'passwordAge', width: 88, sort: 'passwordAge', cell: (r, t) => (r.ad?.passwordAgeDays == null ? '–' : t('people.days', { count: r.ad.passwordAgeDays })) },
  { id: 'passwordExpires', width: 170, cell: (r) => fmtDate(r.ad?.passwordExpires, false) },
  { id: 'accountExpires', width: 120, sort: 'accountExpires', cell: (r) => fmtDate(r.ad?.accountExpires, false) },
  { id: 'mitidState', width: 195, sort: 'mitidState', cell: (r, t) => <MitIdBadges r={r} t={t} /> },
  { id: 'localCredential', width: 150, cell: (r, t) => yn(r.mitid.localCredential, t) },
  { id: 'signing', width: 100, cell: (r, t) => yn(r.mitid.allowSigning, t) },
  { id: 'deviceCount', width: 55, sort: 'deviceCount', cell: (r) => (r.idp.deviceCount ?? (r.idp.loaded ? '–' : '…')) },
  {
    id: 'nsisStatus',
    width: 90,
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
  { id: 'nsisLevel', width: 100, cell: (r) => <NsisLevelBadge level={nsisLevelOf(r.idp.nsisLevel)} /> },
  { id: 'terms', width: 52, sort: 'terms', cell: (r) => (r.idp.acceptedTermsVersion === null ? '–' : `v${r.idp.acceptedTermsVersion}`) },
  {
    id: 'drift',
    width: 110,
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

export const defaultColumns: PeopleColumnId[] = ['displayName', 'username', 'domain', 'ouPath', 'adState', 'passwordAge', 'mitidState', 'deviceCount', 'nsisStatus', 'terms', 'drift'];
