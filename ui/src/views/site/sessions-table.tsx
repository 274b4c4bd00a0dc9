// A table of sessions (explorer and profile): when, who, pages, engagement, source, place, device.
import type { SessionSummary, Site } from '../../api/types';
import { activatable } from '../../components/activate';
import { formatDateTime, formatDuration, formatNumber, formatWhen } from '../../lib/format';
import { countryName, flag, valueLabel } from '../../lib/labels';

/** Who a session belongs to, as a person reads it. */
export function visitorName(session: SessionSummary): string {
  return session.user_name ?? session.user_id ?? `Visitor ${session.visitor_id.slice(-6)}`;
}

export function sourceOf(session: SessionSummary): string {
  return session.referrer_host ?? session.utm_source ?? (session.channel === 'direct' ? 'Direct' : session.channel);
}

export function SessionsTable({
  site,
  sessions,
  onOpen,
  showVisitor = true,
}: {
  site: Site;
  sessions: SessionSummary[];
  onOpen: (session: SessionSummary) => void;
  /** Off where every session is one person's (a profile). */
  showVisitor?: boolean;
}) {
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th>Started</th>
            {showVisitor && <th>Visitor</th>}
            <th>Pages</th>
            <th class="num">Views</th>
            <th class="num">Events</th>
            <th class="num">Duration</th>
            <th>Source</th>
            <th>Location</th>
            <th>Device</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr
              key={session.id}
              {...activatable(() => onOpen(session))}
              data-testid="session-row"
              aria-label={`Session of ${visitorName(session)}, ${formatDateTime(session.started_at, site.timezone)}`}
            >
              <td class="nowrap">{formatWhen(session.started_at, site.timezone)}</td>
              {showVisitor && (
                <td class="nowrap">
                  <span class={session.user_id ? 'visitor identified' : 'visitor'}>{visitorName(session)}</span>
                </td>
              )}
              <td class="path-cell" title={`${session.entry_path} → ${session.exit_path}`}>
                <span class="mono">{session.entry_path}</span>
                {session.exit_path !== session.entry_path && (
                  <>
                    <span class="muted"> → </span>
                    <span class="mono">{session.exit_path}</span>
                  </>
                )}
              </td>
              <td class="num">{formatNumber(session.pageviews)}</td>
              <td class="num">{formatNumber(session.events)}</td>
              <td class="num">{formatDuration(session.duration_seconds)}</td>
              <td class="nowrap truncate">{sourceOf(session)}</td>
              <td class="nowrap">{session.country ? `${flag(session.country)} ${countryName(session.country)}` : '—'}</td>
              <td
                class="nowrap muted"
                title={[valueLabel('device', session.device), session.browser, session.os].filter(Boolean).join(' · ')}
              >
                {session.browser ?? valueLabel('device', session.device)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
