import { Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Always visible in the training environment, so nobody mistakes practice for production. */
export function TrainingBanner() {
  const { t } = useTranslation();
  return (
    <Box bg="yellow.4" px="md" py={4} data-testid="training-banner" role="note">
      <Text size="sm" fw={700} c="dark.9" ta="center">
        {t('app.trainingBanner')}
      </Text>
    </Box>
  );
}
