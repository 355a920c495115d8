import { List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionTest } from '../../../shared/domain/connection-test.ts';
import { errorText } from '../../app/errors.ts';

/** What "Test forbindelse" found, worded here from main's codes; an error from the call itself in errorText's way. */
export type TestOutcome = { test: ConnectionTest } | { error: unknown } | { saveFirst: true };

export function TestResult({ outcome, testId }: { outcome: TestOutcome; testId?: string }) {
  const { t } = useTranslation();
  if ('saveFirst' in outcome) {
    return <Text size="sm" c="orange.9" role="status" data-testid={testId}>{t('settings.domains.saveFirst')}</Text>;
  }
  if ('error' in outcome) {
    return <Text size="sm" c="red" role="status" data-testid={testId}>{t('settings.testFailed')}: {errorText(outcome.error)}</Text>;
  }
  const { test } = outcome;
  return (
    <Stack gap={4} role="status" data-testid={testId}>
      <Text size="sm" c={test.ok ? 'green.9' : 'red'}>{t(`settings.testResult.${test.code}`, test.params)}</Text>
      {test.dcs && test.dcs.length > 0 && (
        <List size="sm" spacing={2}>
          {test.dcs.map((dc) => (
            <List.Item key={dc.url} c={dc.ok ? 'green.9' : 'red.8'} data-testid="dc-result">
              {t(`settings.dcResult.${dc.code}`, dc.params)}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
