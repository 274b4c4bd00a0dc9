// Which view a hash route shows.
import { Empty } from '../components/states';
import type { Route } from '../lib/router';
import { Compare } from './compare';
import { Overview } from './overview';
import { Settings } from './settings';
import { SiteEditor } from './site-editor';
import { SiteView } from './site/site-view';
import { Sites } from './sites';

export function Routes({ route }: { route: Route }) {
  const [section, id, ...rest] = route.segments;
  switch (section) {
    case undefined:
      return <Overview route={route} />;
    case 'site':
      return <SiteView key={id} siteId={Number(id)} rest={rest} route={route} />;
    case 'sites':
      if (id === 'new') return <SiteEditor key="new" siteId={null} />;
      if (id) return <SiteEditor key={id} siteId={Number(id)} />;
      return <Sites />;
    case 'compare':
      return <Compare route={route} />;
    case 'settings':
      return <Settings />;
  }
  return (
    <Empty title="Nothing here">
      <a href="#/">Back to the overview</a>
    </Empty>
  );
}
