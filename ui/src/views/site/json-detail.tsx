// JSON text from the tracker (event properties, breadcrumbs, user metadata) shown readably.
function entries(value: unknown): [string, string][] | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]);
  }
  return null;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An object as a key/value list; an array (breadcrumbs) as one line per item. */
export function JsonValue({ text }: { text: string }) {
  const value = parse(text);
  const pairs = entries(value);
  if (pairs) {
    return (
      <dl class="kv">
        {pairs.map(([key, v]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    );
  }
  if (Array.isArray(value)) {
    return (
      <ol class="crumbs">
        {value.map((item, i) => {
          const fields = entries(item);
          return <li key={i}>{fields ? fields.map(([k, v]) => `${k}: ${v}`).join(' · ') : String(item)}</li>;
        })}
      </ol>
    );
  }
  return <pre class="code-block">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

export function JsonDetail({ text, summary, open = false }: { text: string; summary: string; open?: boolean }) {
  return (
    <details class="json-detail" open={open}>
      <summary>{summary}</summary>
      <JsonValue text={text} />
    </details>
  );
}
