import Decimal from "decimal.js";
import type { ForecastSort, ForecastSortColumn } from "../gtm/forecast-query";
import type { ForecastFiguresJson, ForecastJson } from "../gtm/forecast-wire";
import { nameAndId } from "../gtm/owner-names";
import { formatUsd } from "../money";

/**
 * The forecast table as the screen shows it and the export writes it: each team's reps in
 * the chosen order, then the team's subtotal; the organisation's total last. One function,
 * so the file always equals the screen.
 */
export type ForecastTableRow = {
  key: string;
  label: string;
  /** The sales owners the row adds up; null for the organisation (everything in view). */
  owners: string[] | null;
  figures: ForecastFiguresJson;
} & ({ kind: "rep"; owner: string } | { kind: "team" } | { kind: "total" });

export type ForecastColumnKind = "money" | "ratio" | "multiple" | "count" | "days";

export interface ForecastColumn {
  id: string;
  /** Header on the screen and in the file. */
  label: string;
  kind: ForecastColumnKind;
  value: (figures: ForecastFiguresJson) => string | number | null;
  /** The sort the header toggles, when the column sorts. */
  sort?: ForecastSortColumn;
}

export const FORECAST_COLUMNS: readonly ForecastColumn[] = [
  { id: "quota", label: "Quota", kind: "money", value: (f) => f.quota, sort: "quota" },
  { id: "won", label: "Won", kind: "money", value: (f) => f.won, sort: "won" },
  { id: "commit", label: "Commit", kind: "money", value: (f) => f.commit, sort: "commit" },
  { id: "bestCase", label: "Best case", kind: "money", value: (f) => f.bestCase, sort: "bestCase" },
  { id: "pipeline", label: "Pipeline", kind: "money", value: (f) => f.pipeline, sort: "pipeline" },
  { id: "weighted", label: "Weighted", kind: "money", value: (f) => f.weighted, sort: "weighted" },
  { id: "riskAdjusted", label: "Risk-adjusted", kind: "money", value: (f) => f.riskAdjusted, sort: "riskAdjusted" },
  { id: "gap", label: "Gap", kind: "money", value: (f) => f.gap, sort: "gap" },
  { id: "coverage", label: "Coverage", kind: "multiple", value: (f) => f.coverage, sort: "coverage" },
  { id: "attainment", label: "Attainment", kind: "ratio", value: (f) => f.attainment, sort: "attainment" },
  { id: "lost", label: "Lost", kind: "money", value: (f) => f.lost },
  { id: "winRateByCount", label: "Win rate (deals)", kind: "ratio", value: (f) => f.winRate.byCount },
  { id: "winRateByAmount", label: "Win rate (amount)", kind: "ratio", value: (f) => f.winRate.byAmount },
  { id: "winRateN", label: "Closed deals", kind: "count", value: (f) => f.winRate.n },
  { id: "avgCycleDays", label: "Sales cycle (days)", kind: "days", value: (f) => f.avgCycleDays },
  { id: "avgCycleN", label: "Won deals", kind: "count", value: (f) => f.avgCycleN },
];

const SORT_VALUE: Record<Exclude<ForecastSortColumn, "owner">, (figures: ForecastFiguresJson) => string | null> = {
  quota: (f) => f.quota,
  won: (f) => f.won,
  commit: (f) => f.commit,
  bestCase: (f) => f.bestCase,
  pipeline: (f) => f.pipeline,
  weighted: (f) => f.weighted,
  riskAdjusted: (f) => f.riskAdjusted,
  gap: (f) => f.gap,
  coverage: (f) => f.coverage,
  attainment: (f) => f.attainment,
};

/** Rows in order; ties (and the owner column) by label, rows without a value (no coverage) last. */
function compareBy(sort: ForecastSort) {
  const sign = sort.direction === "asc" ? 1 : -1;
  return (a: { label: string; figures: ForecastFiguresJson }, b: { label: string; figures: ForecastFiguresJson }) => {
    if (sort.column !== "owner") {
      const [x, y] = [SORT_VALUE[sort.column](a.figures), SORT_VALUE[sort.column](b.figures)];
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
      } else {
        const order = new Decimal(x).comparedTo(y);
        if (order !== 0) return sign * order;
      }
    }
    return (sort.column === "owner" ? sign : 1) * a.label.localeCompare(b.label);
  };
}

export const ownerLabel = nameAndId;
export const teamLabel = (manager: string | null, name: string | null) =>
  manager === null ? "No team" : nameAndId(manager, name);

export function forecastTableRows(forecast: ForecastJson, sort: ForecastSort): ForecastTableRow[] {
  const compare = compareBy(sort);
  const teams = forecast.teams
    .map((team) => ({ team, label: teamLabel(team.manager, team.managerName), figures: team as ForecastFiguresJson }))
    .sort(compare);
  const rows: ForecastTableRow[] = [];
  for (const { team, label } of teams) {
    const reps = forecast.rows
      .filter((row) => row.manager === team.manager)
      .map((row) => ({ row, label: ownerLabel(row.owner, row.ownerName), figures: row as ForecastFiguresJson }))
      .sort(compare);
    for (const { row, label: repLabel } of reps)
      rows.push({
        kind: "rep",
        key: `rep:${row.owner}`,
        label: repLabel,
        owner: row.owner,
        owners: [row.owner],
        figures: figuresOf(row),
      });
    rows.push({
      kind: "team",
      key: `team:${team.manager ?? ""}`,
      label: `Team total: ${label}`,
      owners: team.owners,
      figures: figuresOf(team),
    });
  }
  rows.push({ kind: "total", key: "total", label: "Total", owners: null, figures: forecast.total });
  return rows;
}

function figuresOf(row: ForecastFiguresJson): ForecastFiguresJson {
  const {
    quota,
    won,
    lost,
    commit,
    bestCase,
    pipeline,
    weighted,
    riskAdjusted,
    gap,
    coverage,
    attainment,
    winRate,
    avgCycleDays,
    avgCycleN,
  } = row;
  return {
    quota,
    won,
    lost,
    commit,
    bestCase,
    pipeline,
    weighted,
    riskAdjusted,
    gap,
    coverage,
    attainment,
    winRate,
    avgCycleDays,
    avgCycleN,
  };
}

/** Coverage under the admin's threshold (pipeline will not cover the gap at the usual win rates). */
export function isCoverageShort(figures: ForecastFiguresJson, threshold: string): boolean {
  return figures.coverage !== null && new Decimal(figures.coverage).lessThan(threshold);
}

/** Forecast to miss: even the risk-adjusted forecast stays under quota. */
export function isAttainmentShort(figures: ForecastFiguresJson): boolean {
  return new Decimal(figures.quota).greaterThan(0) && new Decimal(figures.riskAdjusted).lessThan(figures.quota);
}

/** A figure as the screen shows it: dollars, percent, "2.50×", days; an en dash when there is none. */
export function formatForecastValue(kind: ForecastColumnKind, value: string | number | null): string {
  if (value === null) return "–";
  switch (kind) {
    case "money":
      return formatUsd(String(value));
    case "ratio":
      return `${new Decimal(value).times(100).toFixed(1)}%`;
    case "multiple":
      return `${new Decimal(value).toFixed(2)}×`;
    case "days":
      return String(value);
    case "count":
      return Number(value).toLocaleString("en-US");
  }
}
