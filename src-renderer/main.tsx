import '@mantine/core/styles.css';
import './app/a11y.css';
import { StrictMode, useMemo, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './app/i18n.ts';
import { buildTheme, cssVariablesResolver } from './app/theme.ts';
import { App } from './app/App.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { captureTokenFromUrl, OpError } from './app/transport.ts';

captureTokenFromUrl();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Errors the operator must act on (not signed in, no permission, bad input) are not retried.
      retry: (count, err) => !(err instanceof OpError && ['unauthenticated', 'forbidden', 'validation', 'not-found'].includes(err.code)) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

/** The theme names icon-only controls (close buttons, …) in the operator's language, so it follows a switch. */
function ThemedProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const theme = useMemo(
    () => buildTheme({ close: t('app.close'), progress: t('app.progress'), togglePassword: t('app.togglePassword') }),
    [t],
  );
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      {children}
    </MantineProvider>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ThemedProvider>
      <QueryClientProvider client={queryClient}>
        <ErrorBoundary>
          <App />
        </ErrorBoundary>
      </QueryClientProvider>
    </ThemedProvider>
  </StrictMode>,
);
