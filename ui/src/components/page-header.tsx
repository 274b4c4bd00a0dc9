// A view's title row: heading, a line under it, and controls on the right.
import type { ComponentChildren } from 'preact';

export function PageHeader({
  title,
  subtitle,
  actions,
  back,
}: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
  back?: { href: string; label: string };
}) {
  return (
    <header class="page-header">
      <div class="page-heading">
        {back && (
          <a class="back-link" href={back.href}>
            ← {back.label}
          </a>
        )}
        <h1>{title}</h1>
        {subtitle && <div class="page-subtitle">{subtitle}</div>}
      </div>
      {actions && <div class="page-actions">{actions}</div>}
    </header>
  );
}
