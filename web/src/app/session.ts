import { useEffect, useState } from 'preact/hooks';
import type { MeQuery, WhoamiQuery } from '../graphql/api.generated';

export type Me = MeQuery['me'];
export type Whoami = WhoamiQuery['whoami'];

/** The hash route: #/transfers → "/transfers"; the server serves only "/", so every page is one load. */
export function useRoute(): string {
  const read = () => (window.location.hash.replace(/^#/, '') || '/').split('?')[0];
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function navigate(path: string): void {
  window.location.hash = path;
}

export function can(me: Me, permission: string): boolean {
  return me.permissions.includes(permission as Me['permissions'][number]);
}

/** A parameter of the hash route: #/statement?account=1 → routeParam('account') = "1". */
export function routeParam(name: string): string | null {
  const query = window.location.hash.split('?')[1];
  return query ? new URLSearchParams(query).get(name) : null;
}
