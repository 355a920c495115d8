import './i18n.ts';
import { useState } from 'react';
import { Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { can, scopeLabel } from '../../../shared/access.ts';
import { useOperator } from '../session/useOperator.ts';
import { DriftView } from './DriftView.tsx';
import { PeopleList } from './list/PeopleList.tsx';
import { PersonDrawer } from './person/PersonDrawer.tsx';

/** Personer: the merged list (or the drift view) and the person page over it. */
export function PeoplePage() {
  const { t } = useTranslation();
  const operator = useOperator();
  const [tab, setTab] = useState<'list' | 'drift'>('list');
  const [selected, setSelected] = useState<string | null>(null);
  // A helpdesk agent limited to OUs sees only their people, and is told so.
  const decision = can(operator, 'people.list');
  const scope = decision.allowed ? decision.scope : null;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('people.title')}
        </Title>
        <SegmentedControl
          data-testid="people-tabs"
          value={tab}
          onChange={(v) => setTab(v as 'list' | 'drift')}
          data={[
            { value: 'list', label: t('people.tabList') },
            { value: 'drift', label: t('people.tabDrift') },
          ]}
        />
      </Group>
      {scope && (
        <Text size="sm" data-testid="people-scope">
          {t('people.scopedTo', { ous: scopeLabel(scope) })}
        </Text>
      )}
      {tab === 'list' ? <PeopleList key={operator?.username ?? ''} onOpen={setSelected} operator={operator?.username} /> : <DriftView onOpen={setSelected} />}
      <PersonDrawer personId={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}
