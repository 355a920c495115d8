import { useEffect, useState } from 'react';

export const routes = ['personer', 'masseopgaver', 'overfoersler', 'politikker', 'fullservice', 'revision', 'indstillinger'] as const;
export type Route = (typeof routes)[number];

function fromHash(): Route | null {
  const r = window.location.hash.replace(/^#\/?/, '').split('/')[0] as Route;
  return routes.includes(r) ? r : null;
}

/**
 * Where an operator lands when the address names no screen: an auditor (with no role that acts on
 * people) on Revision, everyone else on Personer. Only the landing — what may be opened is can()'s.
 */
export function homeRoute(roles: readonly string[] | undefined): Route {
  const acts = (roles ?? []).some((r) => r === 'administrator' || r === 'useradmin' || r === 'helpdesk');
  return !acts && (roles ?? []).includes('auditor') ? 'revision' : 'personer';
}

/** Forgets the screen in the address, so the next operator to sign in lands on their own home. */
export function clearRoute(): void {
  if (fromHash()) history.replaceState(null, '', window.location.pathname + window.location.search);
}

/** Hash routing: works the same from the web host and from the Electron shell's app:// origin. */
export function useRoute(home: Route = 'personer'): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route | null>(fromHash);
  useEffect(() => {
    const on = () => setRoute(fromHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [route ?? home, (r) => (window.location.hash = `#/${r}`)];
}
