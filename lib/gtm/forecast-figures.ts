import Decimal from "decimal.js";
import type { CalendarDate } from "./calendar-date";
import { type ForecastTotals, sumTotals } from "./forecast";
import type { ForecastPeriod } from "./forecast-period";
import type { ForecastSettings } from "./forecast-settings";

/** Ratios (coverage, attainment, win rates) carry 4 decimal places, rounded half-even. */
export const RATIO_PLACES = 4;
/** The average sales cycle carries 1 decimal place (days), rounded half-even. */
export const CYCLE_DAY_PLACES = 1;

/** What a person reads for an owner, a team or the organisation; ratios are null where they have no denominator. */
export interface ForecastFigures {
  won: Decimal;
  lost: Decimal;
  pipeline: Decimal;
  commit: Decimal;
  bestCase: Decimal;
  weighted: Decimal;
  riskAdjusted: Decimal;
  quota: Decimal;
  gap: Decimal;
  /** pipeline / gap; null when the gap is 0. */
  coverage: Decimal | null;
  /** won / quota; null when there is no quota. */
  attainment: Decimal | null;
  /** Over the 12 months ending with the period; n = won + lost deals. */
  winRate: { byCount: Decimal | null; byAmount: Decimal | null; n: number };
  /** Close date - created date of the won deals in the same 12 months; n = those deals. */
  salesCycle: { averageDays: Decimal | null; n: number };
}

// Enough digits that a quotient is exact well past the 4th place, so rounding it there is rounding the true value.
const Ratio = Decimal.clone({ precision: 50 });

function ratio(numerator: Decimal | number, denominator: Decimal | number, places = RATIO_PLACES): Decimal | null {
  if (new Ratio(denominator).isZero()) return null;
  return new Ratio(numerator).dividedBy(denominator).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
}

/** The figures that derive from additive totals; a parent's ratios come from its summed totals, never from its children's ratios. */
export function forecastFigures(totals: ForecastTotals): ForecastFigures {
  const commit = new Ratio(totals.won).plus(totals.openCommit);
  const decided = totals.windowWonCount + totals.windowLostCount;
  return {
    won: totals.won,
    lost: totals.lost,
    pipeline: totals.pipeline,
    commit,
    bestCase: commit.plus(totals.openBestCase),
    weighted: totals.weighted,
    riskAdjusted: new Ratio(totals.won).plus(totals.weighted).minus(totals.haircut),
    quota: totals.quota,
    gap: totals.gap,
    coverage: ratio(totals.pipeline, totals.gap),
    attainment: ratio(totals.won, totals.quota),
    winRate: {
      byCount: ratio(totals.windowWonCount, decided),
      byAmount: ratio(totals.windowWonAmount, new Ratio(totals.windowWonAmount).plus(totals.windowLostAmount)),
      n: decided,
    },
    salesCycle: {
      averageDays: ratio(totals.windowWonCycleDays, totals.windowWonCount, CYCLE_DAY_PLACES),
      n: totals.windowWonCount,
    },
  };
}

export interface OwnerForecast {
  owner: string;
  ownerName: string | null;
  /** The owner's manager in the teams file; null when the owner is in no team. */
  manager: string | null;
  totals: ForecastTotals;
}

export interface TeamForecast {
  manager: string | null;
  managerName: string | null;
  owners: string[];
  totals: ForecastTotals;
}

/** The forecast of a period as a viewer sees it: their owners, their teams and the sum of what they see. */
export interface Forecast {
  period: ForecastPeriod;
  asOf: CalendarDate;
  settings: ForecastSettings;
  rows: OwnerForecast[];
  teams: TeamForecast[];
  total: ForecastTotals;
}

const compareNullsLast = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/** Rows by owner, teams by manager (owners in no team last, together), each team and the total the sums of their rows. */
export function assembleForecast(
  period: ForecastPeriod,
  asOf: CalendarDate,
  settings: ForecastSettings,
  rows: OwnerForecast[],
  managerNames: ReadonlyMap<string, string | null>,
): Forecast {
  const sorted = [...rows].sort((a, b) => compareNullsLast(a.owner, b.owner));
  const byManager = new Map<string | null, OwnerForecast[]>();
  for (const row of sorted) byManager.set(row.manager, [...(byManager.get(row.manager) ?? []), row]);
  const teams = [...byManager.entries()]
    .sort(([a], [b]) => compareNullsLast(a, b))
    .map(([manager, members]): TeamForecast => ({
      manager,
      managerName: manager === null ? null : (managerNames.get(manager) ?? null),
      owners: members.map((member) => member.owner),
      totals: sumTotals(members.map((member) => member.totals)),
    }));
  return { period, asOf, settings, rows: sorted, teams, total: sumTotals(teams.map((team) => team.totals)) };
}
