import { useEffect, useState } from 'react';

export const routes = ['personer', 'masseopgaver', 'politikker', 'revision', 'indstillinger'] as const;
export type Route = (typeof routes)[number];

function current(): Route {
  const r = window.location.hash.replace(/^#\/?/, '').split('/')[0] as Route;
  return routes.includes(r) ? r : 'personer';
}

/** Hash routing: works the same from the web host and from the Electron shell's app:// origin. */
export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(current);
  useEffect(() => {
    const on = () => setRoute(current());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [route, (r) => (window.location.hash = `#/${r}`)];
}
