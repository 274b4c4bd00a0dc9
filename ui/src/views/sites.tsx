// Sites management: every site with its tracking id, privacy mode and state; add or open one.
import { activatable } from '../components/activate';
import { Card } from '../components/card';
import { Icon } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { Empty, Loading } from '../components/states';
import { useApp } from '../lib/app-context';
import { formatDate } from '../lib/format';
import { href, navigate } from '../lib/router';
import { PRIVACY_MODES } from './site-form';

export function Sites() {
  const { sites, sitesLoaded } = useApp();
  const add = (
    <a class="button button-primary" href="#/sites/new" data-testid="add-site">
      <Icon name="plus" size={14} />
      Add site
    </a>
  );
  return (
    <div class="page" data-testid="sites">
      <PageHeader title="Sites" subtitle="The websites this collector accepts visits for." actions={add} />
      <Card>
        {!sitesLoaded ? (
          <Loading />
        ) : sites.length === 0 ? (
          <Empty title="No sites yet">Add one to get its tracking snippet.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Site</th>
                  <th>Tracking id</th>
                  <th>Privacy</th>
                  <th>Time zone</th>
                  <th>Added</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {sites.map((site) => (
                  <tr key={site.id} {...activatable(() => navigate(href(`sites/${site.id}`)))} data-testid={`site-row-${site.tracking_id}`}>
                    <td>
                      <strong>{site.name}</strong>
                      <div class="muted">{site.domain}</div>
                    </td>
                    <td class="mono">{site.tracking_id}</td>
                    <td>{PRIVACY_MODES[site.privacy_mode].title}</td>
                    <td class="nowrap">{site.timezone}</td>
                    <td class="nowrap">{formatDate(site.created_at_ms)}</td>
                    <td>
                      {site.archived_at_ms == null ? <span class="badge badge-good">Collecting</span> : <span class="badge">Archived</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
