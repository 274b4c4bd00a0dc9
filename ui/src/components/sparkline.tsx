// A tiny trend line (SVG) for cards; gaps where a value is undefined.
export function Sparkline({ values, label }: { values: (number | null)[]; label?: string }) {
  const width = 120;
  const height = 32;
  const known = values.filter((v): v is number => v != null);
  if (values.length < 2 || known.length === 0) return <svg class="sparkline" viewBox={`0 0 ${width} ${height}`} aria-hidden="true" />;
  const max = Math.max(...known);
  const min = Math.min(0, ...known);
  const span = max - min || 1;
  const x = (i: number) => (i / (values.length - 1)) * width;
  const y = (v: number) => height - 2 - ((v - min) / span) * (height - 4);
  let line = '';
  values.forEach((v, i) => {
    if (v == null) return;
    line += `${i === 0 || values[i - 1] == null ? 'M' : 'L'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
  });
  const area = values.every((v) => v != null) ? `${line}L${width} ${height}L0 ${height}Z` : null;
  return (
    <svg
      class="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : 'true'}
    >
      {area && <path class="sparkline-area" d={area} />}
      <path class="sparkline-line" d={line} vector-effect="non-scaling-stroke" />
    </svg>
  );
}
