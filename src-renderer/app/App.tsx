import { lazy, Suspense, useCallback, useEffect, type MouseEvent } from 'react';
import { ActionIcon, AppShell, Badge, Button, Group, Loader, NavLink, SegmentedControl, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { StatusBar } from '../components/StatusBar.tsx';
import { TrainingBanner } from '../components/TrainingBanner.tsx';
import { BulkPage } from '../features/bulk/BulkPage.tsx';
import { PeoplePage } from '../features/people/PeoplePage.tsx';
import { PoliciesPage } from '../features/policies/PoliciesPage.tsx';
import { ReadinessPage } from '../features/fullservice/ReadinessPage.tsx';
import { NoToken, SignIn } from '../features/session/SignIn.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { TransfersPage } from '../features/actions/TransfersPage.tsx';
import { setLanguage, type Language } from './i18n.ts';
import { queryKey, useOp, useOpMutation } from './ops.ts';
import { clearRoute, homeRoute, routes, useRoute, type Route } from './routes.ts';
import { focusFirstRow, ShortcutsOverlay, useGlobalShortcuts } from './shortcuts.tsx';
import { hasTransport } from './transport.ts';
import { can } from '../../shared/access.ts';
import { grantsOf } from '../../shared/roles.ts';
import type { OpName } from '../../shared/operations/index.ts';
import { AddDomain } from '../features/session/AddDomain.tsx';

// Revision carries charts and date pickers: loaded when first opened, keeping the start bundle small.
const AuditPage = lazy(() => import('../features/audit/AuditPage.tsx'));

/** Each screen opens with one operation: the menu shows a screen when the operator may call it. */
const routeOperation: Record<Route, OpName> = {
  personer: 'people.list',
  masseopgaver: 'bulk.list',
  overfoersler: 'transfers.list',
  politikker: 'policy.list',
  fullservice: 'readiness.check',
  revision: 'audit.search',
  indstillinger: 'settings.get',
};

const navKey: Record<Route, string> = {
  personer: 'nav.people',
  masseopgaver: 'nav.bulk',
  overfoersler: 'nav.transfers',
  politikker: 'nav.policies',
  fullservice: 'nav.fullService',
  revision: 'nav.audit',
  indstillinger: 'nav.settings',
};

/**
 * The console language IT fixes with the machine policy (`Language`), if it does: applied at once, also
 * over a choice saved on this workstation, and the header switch shows it locked.
 */
function usePolicyLanguage(): Language | null {
  const { i18n } = useTranslation();
  const info = useOp('app.info', {}, { enabled: hasTransport() });
  const fixed = info.data?.policyLanguage ?? null;
  useEffect(() => {
    if (fixed && i18n.language !== fixed) setLanguage(fixed);
  }, [fixed, i18n.language]);
  return fixed;
}

function LanguageSwitch({ locked }: { locked: boolean }) {
  const { t, i18n } = useTranslation();
  const control = (
    <SegmentedControl
      size="xs"
      aria-label={locked ? t('app.languageLocked') : t('app.language')}
      value={i18n.language}
      onChange={(v) => setLanguage(v as Language)}
      disabled={locked}
      data-testid="language-switch"
      data={[
        { value: 'da', label: 'Dansk' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
  // A disabled control gets no hover: the tooltip sits on a wrapper, the reason is also in the name.
  return locked ? (
    <Tooltip label={t('app.languageLocked')} withArrow>
      <div data-testid="language-locked">{control}</div>
    </Tooltip>
  ) : control;
}

function Page({ route }: { route: Route }) {
  const { t } = useTranslation();
  switch (route) {
    case 'personer':
      return <PeoplePage />;
    case 'indstillinger':
      return <SettingsPage />;
    case 'politikker':
      return <PoliciesPage />;
    case 'masseopgaver':
      return <BulkPage />;
    case 'overfoersler':
      return <TransfersPage />;
    case 'fullservice':
      return <ReadinessPage />;
    case 'revision':
      return (
        <Suspense fallback={<Loader m="xl" aria-label={t('app.loading')} />}>
          <AuditPage />
        </Suspense>
      );
  }
}

function Shell() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const info = useOp('app.info', {});
  const operator = useOp('session.current', {}).data?.operator;
  const [route, go] = useRoute(homeRoute(operator?.roles));
  const logout = useOpMutation('session.logout');
  const training = info.data?.training ?? false;
  const languageLocked = (info.data?.policyLanguage ?? null) !== null;
  const toPeople = useCallback(() => {
    if (window.location.hash.replace(/^#\/?/, '').split('/')[0] !== 'personer') go('personer');
  }, [go]);
  const { help, setHelp } = useGlobalShortcuts(toPeople);
  // The skip links move focus without touching the URL: the hash is the route here.
  const skipTo = (target: 'list' | 'main') => (e: MouseEvent) => {
    e.preventDefault();
    if (target === 'list' && focusFirstRow()) return;
    document.getElementById('main')?.focus();
  };

  return (
    <AppShell header={{ height: training ? 88 : 60 }} navbar={{ width: 220, breakpoint: 0 }} footer={{ height: 32 }} padding="md">
      <AppShell.Header>
        {training && <TrainingBanner />}
        <Group h={60} px="md" justify="space-between">
          <Group gap="sm">
            {route === 'personer' && (
              <a href="#main" className="skip-link" onClick={skipTo('list')} data-testid="skip-to-list">
                {t('app.skipToList')}
              </a>
            )}
            <a href="#main" className="skip-link" onClick={skipTo('main')}>
              {t('app.skipToContent')}
            </a>
            <Title order={2} size="h4">
              {t('app.name')}
            </Title>
            {training && (
              <Badge color="yellow" variant="light">
                {t('app.training')}
              </Badge>
            )}
          </Group>
          <Group gap="md">
            {operator && (
              <Stack gap={0} align="flex-end" data-testid="operator">
                <Text size="sm" fw={600}>
                  {operator.displayName}
                </Text>
                <Text size="xs" c="dimmed">
                  {/* Each domain's grant with its own roles: an administrator in one may be helpdesk in the other. */}
                  {grantsOf(operator)
                    .map(
                      (g) =>
                        g.roles.map((r) => t(`roles.${r}`)).join(', ') +
                        (g.helpdeskOus ? ` (${t('roles.scoped', { count: g.helpdeskOus.length })})` : '') +
                        (g.domain ? ` · ${g.domain.name}` : ''),
                    )
                    .join(' + ')}
                </Text>
              </Stack>
            )}
            <AddDomain />
            <LanguageSwitch locked={languageLocked} />
            <ActionIcon variant="default" size="lg" aria-label={t('shortcuts.help')} title={t('shortcuts.help')} onClick={() => setHelp(true)} data-testid="shortcuts-button">
              ?
            </ActionIcon>
            <Button
              variant="default"
              size="xs"
              onClick={() =>
                logout.mutate({}, {
                  onSuccess: () => {
                    clearRoute();
                    // Back to the sign-in screen, and nothing of the last operator's data left in the cache.
                    qc.setQueryData(queryKey('session.current', {}), { operator: null });
                    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session.current' });
                  },
                })
              }
            >
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('app.mainMenu')}>
        {routes.filter((r) => can(operator ?? null, routeOperation[r]).allowed).map((r) => (
          <NavLink key={r} href={`#/${r}`} label={t(navKey[r])} active={route === r} onClick={(e) => { e.preventDefault(); go(r); }} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <ErrorBoundary key={route}>
          <Page route={route} />
        </ErrorBoundary>
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar />
      </AppShell.Footer>
      <ShortcutsOverlay opened={help} onClose={() => setHelp(false)} />
    </AppShell>
  );
}

export function App() {
  const { t } = useTranslation();
  usePolicyLanguage();
  const session = useOp('session.current', {}, { enabled: hasTransport() });
  if (!hasTransport()) return <NoToken />;
  if (session.isPending) return <Loader m="xl" aria-label={t('app.loading')} />;
  if (!session.data?.operator) return <SignIn />;
  return <Shell />;
}
