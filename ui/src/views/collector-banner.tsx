// Says so at the top of every page when the collector is not running, with the reason
// (a taken port, an unreadable data folder) and the way to fix it.
import type { CollectorStatus } from '../api/types';
import { Icon } from '../components/icons';

export function CollectorBanner({ collector }: { collector: CollectorStatus | undefined }) {
  if (!collector || collector.running) return null;
  return (
    <div class="collector-banner" role="alert" data-testid="collector-banner">
      <Icon name="alert" />
      <span>
        <strong>The collector is not running, so no visits are recorded.</strong>{' '}
        {collector.error ?? `It could not start on ${collector.address}.`}
      </span>
      <a class="button button-small" href="#/settings">
        Open settings
      </a>
    </div>
  );
}
