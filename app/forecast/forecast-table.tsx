import Link from "next/link";
import { RowLink } from "../components/row-link";
import type { ForecastView } from "@/lib/dashboard/forecast-view";
import { type ForecastSortColumn, forecastQueryToParams } from "@/lib/gtm/forecast-query";
import { forecastFigureHref } from "@/lib/view/forecast-links";
import {
  FORECAST_COLUMNS,
  type ForecastTableRow,
  formatForecastValue,
  isAttainmentShort,
  isCoverageShort,
} from "@/lib/view/forecast-table";

function sortHref(view: ForecastView, column: ForecastSortColumn): string {
  const { sort } = view.query;
  const direction =
    sort.column === column ? (sort.direction === "asc" ? "desc" : "asc") : column === "owner" ? "asc" : "desc";
  return `/forecast?${forecastQueryToParams({ ...view.query, sort: { column, direction } }, view.today).toString()}`;
}

function SortableHeader({
  view,
  column,
  label,
  numeric,
}: {
  view: ForecastView;
  column?: ForecastSortColumn;
  label: string;
  numeric?: boolean;
}) {
  const { sort } = view.query;
  const active = column !== undefined && sort.column === column;
  return (
    <th
      scope="col"
      className={numeric ? "num" : undefined}
      aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
    >
      {column ? (
        <Link href={sortHref(view, column)} className="sort-button">
          {label}
          {active && (
            <span className="sort-indicator" aria-hidden="true">
              {sort.direction === "asc" ? " ▲" : " ▼"}
            </span>
          )}
        </Link>
      ) : (
        label
      )}
    </th>
  );
}

/** Per rep, with each team's subtotal and the total; every figure with deals behind it links to them on the dashboard. */
export function ForecastTable({
  rows,
  view,
  coverageThreshold,
}: {
  rows: ForecastTableRow[];
  view: ForecastView;
  coverageThreshold: string;
}) {
  const threshold = `${Number(coverageThreshold).toString()}×`;
  return (
    <section className="card table-card" aria-label="Forecast per rep">
      <div className="table-toolbar">
        <h2>Per rep and team</h2>
        <p className="muted small">
          <span className="short">Highlighted</span>: coverage under {threshold}, or a risk-adjusted forecast under
          quota. Figures link to their deals on the dashboard (open figures to all the period&apos;s open deals: the
          dashboard has no forecast-category filter).
        </p>
      </div>
      <div className="table-wrap">
        <table className="data forecast-table" aria-label="Forecast per rep">
          <thead>
            <tr>
              <SortableHeader view={view} column="owner" label="Rep" />
              {FORECAST_COLUMNS.map((column) => (
                <SortableHeader key={column.id} view={view} column={column.sort} label={column.label} numeric />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 1 && (
              <tr>
                <td colSpan={FORECAST_COLUMNS.length + 1} className="muted">
                  No deals or quotas in this period for what you may see.
                </td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={row.key} className={row.kind === "rep" ? undefined : `forecast-${row.kind}`}>
                <th scope="row">{row.label}</th>
                {FORECAST_COLUMNS.map((column) => {
                  const text = formatForecastValue(column.kind, column.value(row.figures));
                  const href = forecastFigureHref(column.id, row.owners, view.query, view.today);
                  const short =
                    (column.id === "coverage" && isCoverageShort(row.figures, coverageThreshold)) ||
                    (column.id === "attainment" && isAttainmentShort(row.figures));
                  return (
                    <td key={column.id} className={short ? "num short" : "num"}>
                      {href ? (
                        <RowLink href={href} aria-label={`${column.label} of ${row.label}: ${text}, show the deals`}>
                          {text}
                        </RowLink>
                      ) : (
                        text
                      )}
                      {short && <span className="sr-only"> (short)</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
