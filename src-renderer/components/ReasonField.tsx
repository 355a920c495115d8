import { Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The reason every write asks for; the dispatcher checks it and its refusal (see app/errors.ts) lands here. */
export function ReasonField({ value, onChange, error, autoFocus = false }: { value: string; onChange(v: string): void; error?: string | undefined; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <Textarea
      label={t('people.reason')}
      description={t('people.reasonHelp')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data-autofocus={autoFocus || undefined}
      autosize
      minRows={2}
    />
  );
}
