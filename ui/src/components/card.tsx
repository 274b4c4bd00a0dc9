// A titled panel; the header may hold tabs or controls.
import type { ComponentChildren } from 'preact';

export function Card({
  title,
  actions,
  children,
  class: extra,
  testId,
}: {
  title?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
  testId?: string;
}) {
  return (
    <section class={extra ? `card ${extra}` : 'card'} data-testid={testId}>
      {(title || actions) && (
        <header class="card-header">
          {title && <h2 class="card-title">{title}</h2>}
          {actions && <div class="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}
