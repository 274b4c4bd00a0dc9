// Props that make a non-button element (a table row, say) act like one: click, Enter, focus.
import type { TargetedKeyboardEvent } from 'preact';

export interface ActivatableProps {
  tabIndex: number;
  class: string;
  onClick: () => void;
  onKeyDown: (event: TargetedKeyboardEvent<HTMLElement>) => void;
}

export function activatable(onActivate: () => void, className = ''): ActivatableProps {
  return {
    tabIndex: 0,
    class: `activatable ${className}`.trim(),
    onClick: onActivate,
    onKeyDown: (event) => {
      if (event.key === 'Enter' && event.target === event.currentTarget) {
        event.preventDefault();
        onActivate();
      }
    },
  };
}
