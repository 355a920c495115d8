import { Alert, PasswordInput, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorText, fieldErrors } from '../../app/errors.ts';

/**
 * An account name and its password, with the errors main gave: next to a field, or as one alert. The
 * sign-in page and the second sign-in into another domain ask the same way.
 */
export function CredentialFields({
  username,
  setUsername,
  password,
  setPassword,
  error,
  usernameHelp,
}: {
  username: string;
  setUsername: (v: string) => void;
  password: string;
  setPassword: (v: string) => void;
  error: unknown;
  usernameHelp?: string;
}) {
  const { t } = useTranslation();
  const fields = fieldErrors(error);
  return (
    <>
      <TextInput
        label={t('signIn.username')}
        description={usernameHelp}
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value)}
        error={fields.username}
        autoComplete="username"
        data-autofocus
        autoFocus
        name="username"
      />
      <PasswordInput
        label={t('signIn.password')}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={fields.password}
        autoComplete="current-password"
        name="password"
      />
      {!!error && !Object.keys(fields).length && (
        <Alert color="red" role="alert">
          {errorText(error)}
        </Alert>
      )}
    </>
  );
}
