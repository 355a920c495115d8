import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button, Stack, Text } from '@mantine/core';
import i18n from '../app/i18n.ts';

interface State {
  failed: boolean;
}

/** Keeps one broken screen from blanking the whole console; the operator can reload from here. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('UI error', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Alert color="red" title={i18n.t('errors.title')} role="alert" m="md">
        <Stack gap="sm">
          <Text size="sm">{i18n.t('errors.generic')}</Text>
          <Button variant="light" color="red" onClick={() => window.location.reload()} w="fit-content">
            {i18n.t('errors.reload')}
          </Button>
        </Stack>
      </Alert>
    );
  }
}
