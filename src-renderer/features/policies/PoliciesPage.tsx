import { Tabs, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import './i18n.ts';
import { PolicyTab } from './PolicyTab.tsx';
import { TermsTab } from './TermsTab.tsx';
import { MailTemplatesTab } from '../fullservice/MailTemplatesTab.tsx';
import { useCan } from '../session/useOperator.ts';

export function PoliciesPage() {
  const { t } = useTranslation();
  const may = useCan();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('policies.title')}
      </Title>
      <Tabs defaultValue="policy" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="policy">{t('policies.tabs.policy')}</Tabs.Tab>
          <Tabs.Tab value="terms">{t('policies.tabs.terms')}</Tabs.Tab>
          {may('mail.list') && <Tabs.Tab value="mail">{t('policies.tabs.mail')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="policy" pt="md">
          <PolicyTab />
        </Tabs.Panel>
        <Tabs.Panel value="terms" pt="md">
          <TermsTab />
        </Tabs.Panel>
        <Tabs.Panel value="mail" pt="md">
          <MailTemplatesTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
