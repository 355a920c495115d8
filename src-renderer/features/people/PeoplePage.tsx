import './i18n.ts';
import { useRef, useState } from 'react';
import { Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { can, scopeLabel } from '../../../shared/access.ts';
import { scopeOus } from '../../../shared/roles.ts';
import { useOperator } from '../session/useOperator.ts';
import { DriftView } from './DriftView.tsx';
import { PeopleList } from './list/PeopleList.tsx';
import { SEARCH_ID } from '../../app/shortcuts.tsx';
import { PersonDrawer } from './person/PersonDrawer.tsx';

/** Personer: the merged list (or the drift view) and the person page over it. */
export function PeoplePage() {
  const { t } = useTranslation();
  const operator = useOperator();
  const [tab, setTab] = useState<'list' | 'drift'>('list');
  const [selected, setSelected] = useState<string | null>(null);
  // The focus goes back to what opened the person page. A write refetches the list, which may have
  // replaced that row's element meanwhile: then to the person's row as it is now, else the search.
  const opener = useRef<{ el: HTMLElement | null; id: string } | null>(null);
  const open = (id: string) => {
    opener.current = { el: document.activeElement instanceof HTMLElement ? document.activeElement : null, id };
    setSelected(id);
  };
  const closed = () => {
    const back = opener.current;
    opener.current = null;
    if (!back) return;
    const target = back.el?.isConnected ? back.el : (document.querySelector<HTMLElement>(`[data-person-id="${CSS.escape(back.id)}"]`) ?? document.getElementById(SEARCH_ID));
    target?.focus();
  };
  // A helpdesk agent limited to OUs, or an operator of one of several domains, sees only their people, and is told so.
  const decision = can(operator, 'people.list');
  const scope = decision.allowed ? decision.scope : null;
  // The municipality's own operators are not told of their domain here (the header names it); another domain's are.
  // An operator signed in to several domains sees each domain's people under its own grant: the list's
  // domain column and counts say which, so no single domain is named here.
  const several = (operator?.also?.length ?? 0) > 0;
  const domain = operator?.domain && !operator.domain.primary && !several ? operator.domain : undefined;
  const bases = new Set([operator?.domain?.baseDn, ...(operator?.also ?? []).map((g) => g.domain?.baseDn)]);
  const ous = scope ? scopeOus(scope).filter((ou) => !bases.has(ou)) : [];
  const scopeText =
    ous.length > 0 ? (domain ? t('people.scopedToDomainUnits', { domain: domain.name, ous: scopeLabel(ous) }) : t('people.scopedTo', { ous: scopeLabel(ous) }))
    : domain && scope ? t('people.scopedToDomain', { domain: domain.name })
    : null;
  const title = (
    <Title order={1} size="h3" style={{ flexShrink: 0 }}>
      {t('people.title')}
    </Title>
  );
  const tabs = (
    <SegmentedControl
      data-testid="people-tabs"
      size="xs"
      value={tab}
      onChange={(v) => setTab(v as 'list' | 'drift')}
      data={[
        { value: 'list', label: t('people.tabList') },
        { value: 'drift', label: t('people.tabDrift') },
      ]}
      style={{ flexShrink: 0 }}
    />
  );
  return (
    <Stack gap={6}>
      {tab === 'list' ? (
        // Title, search and tabs share one row: every line saved is a person more on a laptop screen.
        <PeopleList key={operator?.username ?? ''} onOpen={open} operator={operator?.username} scopeText={scopeText} lead={title} trail={tabs} />
      ) : (
        <>
          <Group justify="space-between">
            {title}
            {tabs}
          </Group>
          {scope && (
            <Text size="sm" data-testid="people-scope">
              {t('people.scopedTo', { ous: scopeLabel(scope) })}
            </Text>
          )}
          <DriftView onOpen={open} />
        </>
      )}
      <PersonDrawer personId={selected} onClose={() => setSelected(null)} onClosed={closed} />
    </Stack>
  );
}
