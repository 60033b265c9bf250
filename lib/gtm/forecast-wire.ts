import type Decimal from "decimal.js";
import { toMoneyString } from "../money";
import type { ForecastTotals } from "./forecast";
import { CYCLE_DAY_PLACES, type Forecast, forecastFigures, RATIO_PLACES } from "./forecast-figures";

/**
 * The wire shape of a forecast: what `/api/forecast` returns, its CSV export writes and the
 * page renders. Amounts are two-place decimal strings, ratios four-place decimal strings
 * (0.2500 is 25 %), the average sales cycle in days with one place; null where a ratio has
 * no denominator.
 */
export interface ForecastFiguresJson {
  quota: string;
  won: string;
  lost: string;
  commit: string;
  bestCase: string;
  pipeline: string;
  weighted: string;
  riskAdjusted: string;
  gap: string;
  coverage: string | null;
  attainment: string | null;
  winRate: { byCount: string | null; byAmount: string | null; n: number };
  avgCycleDays: string | null;
  /** The won deals the average sales cycle is taken over. */
  avgCycleN: number;
}

export interface ForecastJson {
  period: { key: string; start: string; end: string };
  asOf: string;
  /** Coverage below this many times is short (an admin setting). */
  coverageThreshold: string;
  total: ForecastFiguresJson;
  rows: ({ owner: string; ownerName: string | null; manager: string | null } & ForecastFiguresJson)[];
  teams: ({ manager: string | null; managerName: string | null; owners: string[] } & ForecastFiguresJson)[];
}

const fixed = (value: Decimal | null, places: number) => (value === null ? null : value.toFixed(places));

export function toForecastFiguresJson(totals: ForecastTotals): ForecastFiguresJson {
  const figures = forecastFigures(totals);
  return {
    quota: toMoneyString(figures.quota),
    won: toMoneyString(figures.won),
    lost: toMoneyString(figures.lost),
    commit: toMoneyString(figures.commit),
    bestCase: toMoneyString(figures.bestCase),
    pipeline: toMoneyString(figures.pipeline),
    weighted: toMoneyString(figures.weighted),
    riskAdjusted: toMoneyString(figures.riskAdjusted),
    gap: toMoneyString(figures.gap),
    coverage: fixed(figures.coverage, RATIO_PLACES),
    attainment: fixed(figures.attainment, RATIO_PLACES),
    winRate: {
      byCount: fixed(figures.winRate.byCount, RATIO_PLACES),
      byAmount: fixed(figures.winRate.byAmount, RATIO_PLACES),
      n: figures.winRate.n,
    },
    avgCycleDays: fixed(figures.salesCycle.averageDays, CYCLE_DAY_PLACES),
    avgCycleN: figures.salesCycle.n,
  };
}

export function toForecastJson(forecast: Forecast): ForecastJson {
  const { period } = forecast;
  return {
    period: { key: period.key, start: period.start, end: period.end },
    asOf: forecast.asOf,
    coverageThreshold: forecast.settings.coverageThreshold.toFixed(2),
    total: toForecastFiguresJson(forecast.total),
    rows: forecast.rows.map((row) => ({
      owner: row.owner,
      ownerName: row.ownerName,
      manager: row.manager,
      ...toForecastFiguresJson(row.totals),
    })),
    teams: forecast.teams.map((team) => ({
      manager: team.manager,
      managerName: team.managerName,
      owners: team.owners,
      ...toForecastFiguresJson(team.totals),
    })),
  };
}
