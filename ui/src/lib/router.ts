// A small hash router: "#/site/3/sessions?period=7d&f=country:is:DE" as path segments and a query.
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  segments: string[];
  query: URLSearchParams;
}

/** Query values to write; empty and missing ones are left out, arrays repeat the key. */
export type Query = Record<string, string | readonly string[] | number | null | undefined>;

function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const mark = text.indexOf('?');
  const path = mark < 0 ? text : text.slice(0, mark);
  return {
    segments: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(mark < 0 ? '' : text.slice(mark + 1)),
  };
}

/** A link target: `href('site/3', {period: '7d'})` → "#/site/3?period=7d". */
export function href(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item != null && item !== '') params.append(key, String(item));
    }
  }
  const search = params.toString();
  return `#/${path}${search ? `?${search}` : ''}`;
}

export function navigate(to: string): void {
  if (location.hash !== to) location.hash = to;
}

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return parseHash(hash);
}

/** The current path with some query values changed (`null` removes one). */
export function withQuery(route: Route, changes: Query): string {
  const query: Record<string, string[]> = {};
  route.query.forEach((value, key) => (query[key] ??= []).push(value));
  return href(route.segments.map(encodeURIComponent).join('/'), { ...query, ...changes });
}
