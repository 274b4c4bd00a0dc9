// What every view may need: the backend, the app's facts, the site list and a pending update.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Backend } from '../api/backend';
import type { AppInfo, Site, UpdateInfo } from '../api/types';
import type { LiveCounts } from './live';

export interface AppContextValue {
  backend: Backend;
  /** Live visitors per site, kept current by the app's live subscription. */
  live: LiveCounts;
  info: AppInfo | null;
  /** Asks for the app's facts again (the public URL after saving settings). */
  reloadInfo: () => void;
  /** Every site, archived ones included; empty until loaded. */
  sites: Site[];
  sitesLoaded: boolean;
  reloadSites: () => void;
  /** A newer desktop version, from the shell's event or a check in Settings. */
  update: UpdateInfo | null;
  setUpdate: (update: UpdateInfo | null) => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the app');
  return value;
}

export function useBackend(): Backend {
  return useApp().backend;
}
