import { Alert, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Honest marker for a screen whose capability has not been built yet. */
export function NotBuilt({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1} size="h2">
        {title}
      </Title>
      <Alert color="gray" title={t('placeholder.notBuilt')}>
        {t('placeholder.comes')}
      </Alert>
    </Stack>
  );
}
