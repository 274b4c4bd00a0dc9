// Picks the backend at run time: Tauri IPC inside the desktop window, HTTP in a browser.
import type { Backend } from './backend';
import { httpBackend } from './http';
import { tauriBackend } from './tauri';

export function selectBackend(): Backend {
  return '__TAURI_INTERNALS__' in window ? tauriBackend() : httpBackend();
}
