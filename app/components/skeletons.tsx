/** Placeholders with the final widgets' sizes, so nothing jumps when data arrives. */
export function KpiSkeleton() {
  return (
    <section className="kpis" aria-label="Loading headline figures" aria-busy="true">
      {[0, 1, 2].map((i) => (
        <div key={i} className="card kpi skeleton-card">
          <div className="skeleton skeleton-line short" />
          <div className="skeleton skeleton-value" />
          <div className="skeleton skeleton-line" />
        </div>
      ))}
    </section>
  );
}

export function ChartsSkeleton() {
  return (
    <section className="charts" aria-label="Loading charts" aria-busy="true">
      {[0, 1, 2].map((i) => (
        <div key={i} className="card chart-card">
          <div className="skeleton skeleton-line short" />
          <div className="skeleton skeleton-chart" />
        </div>
      ))}
    </section>
  );
}

/** A table while it loads; `label` says which, to a screen reader (and to a test). */
export function TableSkeleton({ label }: { label: string }) {
  return (
    <section className="card table-card" aria-label={label} aria-busy="true">
      <div className="skeleton skeleton-line short" />
      {Array.from({ length: 10 }, (_, i) => (
        <div key={i} className="skeleton skeleton-row" />
      ))}
    </section>
  );
}
