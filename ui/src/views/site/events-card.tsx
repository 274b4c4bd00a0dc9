// Custom events: the events, and for one event its properties and their values.
import { useState } from 'preact/hooks';
import type { Filter, ReportQuery } from '../../api/types';
import { BreakdownRows, type BreakdownColumn } from '../../components/breakdown-rows';
import { Card } from '../../components/card';
import { Icon } from '../../components/icons';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Tabs } from '../../components/tabs';
import { useBackend } from '../../lib/app-context';
import { valueLabel } from '../../lib/labels';
import { useFetch } from '../../lib/use-fetch';
import { VISITORS_COLUMN } from './breakdown-card';

const EVENTS_COLUMN: BreakdownColumn = { label: 'Events', value: (row) => row.events };

function EventProperties({ event, query, refreshKey }: { event: string; query: ReportQuery; refreshKey: number }) {
  const backend = useBackend();
  const key = JSON.stringify(query);
  const properties = useFetch(() => backend.call('event_properties', { ...query, event }), [backend, key, event]);
  const [chosen, setChosen] = useState<string | null>(null);
  if (!properties.data) {
    return properties.error ? <ErrorState error={properties.error} retry={properties.reload} compact /> : <Loading compact />;
  }
  if (properties.data.length === 0) return <Empty title="Sent without properties" compact />;
  const property = chosen && properties.data.includes(chosen) ? chosen : properties.data[0]!;
  return (
    <>
      <Tabs
        tabs={properties.data.map((p) => ({ key: p, label: p }))}
        active={property}
        onSelect={setChosen}
        label={`Properties of ${event}`}
        small
      />
      <BreakdownRows
        key={property}
        testId="breakdown-property"
        heading={property}
        columns={[VISITORS_COLUMN, EVENTS_COLUMN]}
        loadPage={(offset, limit) => backend.call('property_breakdown', { ...query, event, property, offset, limit })}
        deps={[backend, key, event, property]}
        refreshKey={refreshKey}
        label={(value) => value ?? '(not set)'}
      />
    </>
  );
}

export function EventsCard({
  query,
  refreshKey,
  onFilter,
}: {
  query: ReportQuery;
  refreshKey: number;
  onFilter: (filter: Filter) => void;
}) {
  const backend = useBackend();
  const [event, setEvent] = useState<string | null>(null);
  const key = JSON.stringify(query);
  if (event != null) {
    return (
      <Card
        class="breakdown-card"
        title={
          <>
            <button type="button" class="link-button" onClick={() => setEvent(null)} data-testid="events-back">
              <Icon name="back" size={14} />
              Events
            </button>
            <span class="crumb-separator">/</span>
            {event}
          </>
        }
        actions={
          <button
            type="button"
            class="button button-small button-ghost"
            onClick={() => onFilter({ dimension: 'event', op: 'is', value: event })}
          >
            <Icon name="filter" size={14} />
            Filter sessions
          </button>
        }
      >
        <EventProperties event={event} query={query} refreshKey={refreshKey} />
      </Card>
    );
  }
  return (
    <Card class="breakdown-card" title="Custom events">
      <BreakdownRows
        testId="breakdown-event"
        heading="Event"
        columns={[VISITORS_COLUMN, EVENTS_COLUMN]}
        loadPage={(offset, limit) => backend.call('breakdown', { ...query, dimension: 'event', offset, limit })}
        deps={[backend, key]}
        refreshKey={refreshKey}
        label={(value) => valueLabel('event', value)}
        onActivate={(row) => row.value != null && setEvent(row.value)}
        activateHint="click to see its properties"
        emptyText="No custom events in this period"
      />
    </Card>
  );
}
