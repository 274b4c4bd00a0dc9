// Live updates in views: live-visitor counts, debounced refreshes, and the stream's state.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LiveConnection } from '../api/backend';
import { Listeners } from '../api/listeners';
import type { LiveUpdate } from '../api/types';
import { useApp, useBackend } from './app-context';

/** Each site's live visitors, as the latest report or live update that arrived said. */
export class LiveCounts {
  private readonly counts = new Map<number, number>();
  private readonly changes = new Listeners<void>();

  record(siteId: number, visitors: number): void {
    const known = this.counts.get(siteId);
    this.counts.set(siteId, visitors);
    if (known !== visitors) this.changes.emit();
  }

  /** One site's count, or the sum over every site known (`null`). */
  get(siteId: number | null): number | undefined {
    if (siteId != null) return this.counts.get(siteId);
    if (this.counts.size === 0) return undefined;
    let total = 0;
    for (const visitors of this.counts.values()) total += visitors;
    return total;
  }

  onChange(listener: () => void): () => void {
    return this.changes.add(listener);
  }
}

/** Live visitors of one site, or of all (`null`); re-renders as they change. */
export function useLiveCount(siteId: number | null): number | undefined {
  const { live } = useApp();
  const [count, setCount] = useState(() => live.get(siteId));
  useEffect(() => {
    setCount(live.get(siteId));
    return live.onChange(() => setCount(live.get(siteId)));
  }, [live, siteId]);
  return count;
}

/** Calls `listener` for every live update (of one site, when `siteId` is given). */
function useLiveUpdates(listener: (update: LiveUpdate) => void, siteId: number | null = null): void {
  const backend = useBackend();
  const current = useRef(listener);
  current.current = listener;
  useEffect(
    () =>
      backend.onLive((update) => {
        if (siteId == null || update.site_id === siteId) current.current(update);
      }),
    [backend, siteId],
  );
}

/** Calls `refresh` at most once per `delayMs` while updates arrive (of one site, or any). */
export function useLiveRefresh(refresh: () => void, siteId: number | null, delayMs: number): void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const current = useRef(refresh);
  current.current = refresh;
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  useLiveUpdates(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      current.current();
    }, delayMs);
  }, siteId);
}

/** Re-runs `refresh` every `ms` while the view is open (live counts age without new hits). */
export function usePeriodic(refresh: () => void, ms: number): void {
  const current = useRef(refresh);
  current.current = refresh;
  useEffect(() => {
    const id = setInterval(() => current.current(), ms);
    return () => clearInterval(id);
  }, [ms]);
}

export function useLiveConnection(): LiveConnection {
  const backend = useBackend();
  const [state, setState] = useState<LiveConnection>('connecting');
  useEffect(() => backend.onLiveConnection(setState), [backend]);
  return state;
}
