// Light and dark themes: follows the OS unless the owner picked one (remembered in localStorage).
import { useEffect, useState } from 'preact/hooks';
import { Listeners } from '../api/listeners';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'skopos.theme';
const dark = matchMedia('(prefers-color-scheme: dark)');
const changes = new Listeners<ThemeState>();

export interface ThemeState {
  /** The theme in effect. */
  theme: Theme;
  choice: ThemeChoice;
}

function storedChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

let choice = storedChoice();

function resolve(): Theme {
  return choice === 'system' ? (dark.matches ? 'dark' : 'light') : choice;
}

/** Sets `data-theme` on the document; call once before the first render. */
export function applyTheme(): void {
  const theme = resolve();
  document.documentElement.dataset.theme = theme;
  changes.emit({ theme, choice });
}

dark.addEventListener('change', applyTheme);

export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  try {
    if (next === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private windows may refuse storage; the choice still holds for this visit.
  }
  applyTheme();
}

/** The theme in effect and the owner's choice; re-renders when either changes. */
export function useTheme(): ThemeState {
  const [state, setState] = useState<ThemeState>(() => ({ theme: resolve(), choice }));
  useEffect(() => changes.add(setState), []);
  return state;
}
