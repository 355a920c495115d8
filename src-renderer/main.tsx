import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import './app/i18n.ts';
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

const theme = createTheme({ primaryColor: 'blue', defaultRadius: 'sm' });

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <ErrorBoundary>
          <App />
        </ErrorBoundary>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
