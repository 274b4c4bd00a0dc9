// The desktop backend: commands over Tauri IPC, live updates and shell events as Tauri events.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { writeText } from '@tauri-apps/plugin-clipboard-manager';
import { asBackendError, type DesktopBackend, type DesktopEvents } from './backend';
import type { LiveUpdate } from './types';

/** Subscribes to a Tauri event; the returned function also works before `listen` resolved. */
function subscribe<T>(event: string, listener: (payload: T) => void): () => void {
  let unlisten: (() => void) | null = null;
  let stopped = false;
  listen<T>(event, (e) => listener(e.payload)).then((stop) => {
    if (stopped) stop();
    else unlisten = stop;
  });
  return () => {
    stopped = true;
    unlisten?.();
  };
}

export function tauriBackend(): DesktopBackend {
  return {
    kind: 'desktop',
    async call(name, args) {
      try {
        return await invoke(name, { args });
      } catch (error) {
        throw asBackendError(error);
      }
    },
    onLive: (listener) => subscribe<LiveUpdate>('live', listener),
    // IPC has no connection to lose.
    onLiveConnection(listener) {
      listener('open');
      return () => {};
    },
    onEvent: <E extends keyof DesktopEvents>(name: E, listener: (payload: DesktopEvents[E]) => void) =>
      subscribe<DesktopEvents[E]>(name, listener),
    copyText: (text) => writeText(text),
  };
}
