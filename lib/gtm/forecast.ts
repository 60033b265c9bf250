import Decimal from "decimal.js";
import type { CalendarDate } from "./calendar-date";
import type { ChurnRisk } from "./customer";
import { containsDate, type ForecastPeriod, liesWithin, parseForecastPeriod, winRateWindow } from "./forecast-period";
import {
  type ForecastCategory,
  type ForecastSettings,
  type OpenStage,
  STAGE_FORECAST_CATEGORY,
} from "./forecast-settings";
import { isAtRisk } from "./revenue-at-risk";
import { isOpen, type SalesStage } from "./sales-stage";

/**
 * THE forecast rules (issue "Forecast"). For a period P, as of a day:
 * - won / lost: closed won / closed lost amount closing in P;
 * - pipeline: open amount closing in P whose category is not `omitted`;
 * - commit = won + open `commit`; bestCase = commit + open `best_case`;
 * - weighted: the sum over those open deals of amount x probability / 100, each rounded
 *   half-even to the cent;
 * - riskAdjusted = won + weighted - the sum over the at-risk ones (isAtRisk on asOf) of
 *   their weighted amount x the haircut, each rounded half-even to the cent;
 * - quota: the owner's quotas whose period lies within P; gap = quota - won when positive;
 * - win rate and sales cycle over the 12 months ending with P (winRateWindow).
 * The SQL (lib/gtm-prisma/forecast-sql.ts) must agree to the cent; a property test proves it.
 */

/** A deal as the forecast reads it: the opportunity, its forecast fields and its customer's churn risk. */
export interface ForecastDeal {
  salesOwner: string;
  stage: SalesStage;
  closeDate: CalendarDate;
  createdDate: CalendarDate;
  amount: Decimal;
  forecastCategory: ForecastCategory | null;
  /** Whole percent; null: the stage's. */
  probability: number | null;
  churnRisk: ChurnRisk;
}

/**
 * The additive figures of an owner, a team or the organisation: a parent's are exactly
 * the sums of its children's. Ratios derive from them (forecastFigures).
 */
export interface ForecastTotals {
  won: Decimal;
  lost: Decimal;
  pipeline: Decimal;
  openCommit: Decimal;
  openBestCase: Decimal;
  weighted: Decimal;
  /** The cut for at-risk deals: riskAdjusted = won + weighted - haircut. */
  haircut: Decimal;
  quota: Decimal;
  /** Per owner max(quota - won, 0); a parent's is the sum of its owners' (one rep's surplus does not fill another's gap). */
  gap: Decimal;
  /** Closed deals in the win-rate window. */
  windowWonCount: number;
  windowLostCount: number;
  windowWonAmount: Decimal;
  windowLostAmount: Decimal;
  /** Sum over the window's won deals of close date - created date, in days. */
  windowWonCycleDays: number;
}

// Sums of a million amounts and amount x percent products can pass decimal.js's default 20 digits.
const Exact = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });
const ZERO = new Exact(0);
const plus = (a: Decimal, b: Decimal) => new Exact(a).plus(b);

export function emptyTotals(): ForecastTotals {
  return {
    won: ZERO,
    lost: ZERO,
    pipeline: ZERO,
    openCommit: ZERO,
    openBestCase: ZERO,
    weighted: ZERO,
    haircut: ZERO,
    quota: ZERO,
    gap: ZERO,
    windowWonCount: 0,
    windowLostCount: 0,
    windowWonAmount: ZERO,
    windowLostAmount: ZERO,
    windowWonCycleDays: 0,
  };
}

export function addTotals(a: ForecastTotals, b: ForecastTotals): ForecastTotals {
  return {
    won: plus(a.won, b.won),
    lost: plus(a.lost, b.lost),
    pipeline: plus(a.pipeline, b.pipeline),
    openCommit: plus(a.openCommit, b.openCommit),
    openBestCase: plus(a.openBestCase, b.openBestCase),
    weighted: plus(a.weighted, b.weighted),
    haircut: plus(a.haircut, b.haircut),
    quota: plus(a.quota, b.quota),
    gap: plus(a.gap, b.gap),
    windowWonCount: a.windowWonCount + b.windowWonCount,
    windowLostCount: a.windowLostCount + b.windowLostCount,
    windowWonAmount: plus(a.windowWonAmount, b.windowWonAmount),
    windowLostAmount: plus(a.windowLostAmount, b.windowLostAmount),
    windowWonCycleDays: a.windowWonCycleDays + b.windowWonCycleDays,
  };
}

export function sumTotals(list: Iterable<ForecastTotals>): ForecastTotals {
  let total = emptyTotals();
  for (const totals of list) total = addTotals(total, totals);
  return total;
}

const toCents = (value: Decimal) => value.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);

export function forecastCategoryOf(deal: Pick<ForecastDeal, "stage" | "forecastCategory">): ForecastCategory {
  return deal.forecastCategory ?? STAGE_FORECAST_CATEGORY[deal.stage as OpenStage] ?? "pipeline";
}

export function probabilityOf(deal: Pick<ForecastDeal, "stage" | "probability">, settings: ForecastSettings): number {
  return deal.probability ?? settings.stageProbabilities[deal.stage as OpenStage] ?? 0;
}

/** amount x probability / 100, rounded half-even to the cent. */
export function weightedAmount(amount: Decimal, probabilityPercent: number): Decimal {
  return toCents(new Exact(amount).times(probabilityPercent).dividedBy(100));
}

/** What the haircut takes from an at-risk deal: its weighted amount x haircut / 100, rounded half-even to the cent. */
export function atRiskHaircut(weighted: Decimal, haircutPercent: number): Decimal {
  return toCents(new Exact(weighted).times(haircutPercent).dividedBy(100));
}

const daysBetween = (from: CalendarDate, to: CalendarDate) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** What one deal adds to its owner's totals (quota and gap are the owner's, not a deal's). */
export function dealTotals(
  deal: ForecastDeal,
  period: ForecastPeriod,
  settings: ForecastSettings,
  asOf: CalendarDate,
): ForecastTotals {
  const totals = emptyTotals();
  const window = winRateWindow(period);
  if (containsDate(window, deal.closeDate)) {
    if (deal.stage === "closed_won") {
      totals.windowWonCount = 1;
      totals.windowWonAmount = deal.amount;
      totals.windowWonCycleDays = daysBetween(deal.createdDate, deal.closeDate);
    } else if (deal.stage === "closed_lost") {
      totals.windowLostCount = 1;
      totals.windowLostAmount = deal.amount;
    }
  }
  if (!containsDate(period, deal.closeDate)) return totals;
  if (deal.stage === "closed_won") totals.won = deal.amount;
  if (deal.stage === "closed_lost") totals.lost = deal.amount;
  const category = forecastCategoryOf(deal);
  if (!isOpen(deal.stage) || category === "omitted") return totals;
  totals.pipeline = deal.amount;
  if (category === "commit") totals.openCommit = deal.amount;
  if (category === "best_case") totals.openBestCase = deal.amount;
  totals.weighted = weightedAmount(deal.amount, probabilityOf(deal, settings));
  if (isAtRisk(deal, deal.churnRisk, asOf))
    totals.haircut = atRiskHaircut(totals.weighted, settings.atRiskHaircutPercent);
  return totals;
}

export interface Quota {
  salesOwner: string;
  /** "YYYY-MM" or "YYYY-Qn". */
  period: string;
  amount: Decimal;
}

/** The sum of the quotas whose period lies within `period`. */
export function quotaWithin(quotas: Iterable<Pick<Quota, "period" | "amount">>, period: ForecastPeriod): Decimal {
  let total: Decimal = ZERO;
  for (const quota of quotas)
    if (liesWithin(parseForecastPeriod(quota.period), period)) total = plus(total, quota.amount);
  return total;
}

/** An owner's deal totals completed with their quota and the gap to it. */
export function withQuota(totals: ForecastTotals, quota: Decimal): ForecastTotals {
  const remaining = new Exact(quota).minus(totals.won);
  return { ...totals, quota, gap: remaining.greaterThan(0) ? remaining : ZERO };
}

/** The rules applied in TypeScript to whole deal and quota lists: every owner with a deal or a quota. */
export function forecastTotalsByOwner(
  deals: Iterable<ForecastDeal>,
  quotas: Iterable<Quota>,
  period: ForecastPeriod,
  settings: ForecastSettings,
  asOf: CalendarDate,
): Map<string, ForecastTotals> {
  const window = winRateWindow(period);
  const dealSums = new Map<string, ForecastTotals>();
  for (const deal of deals) {
    if (!containsDate(window, deal.closeDate)) continue;
    dealSums.set(
      deal.salesOwner,
      addTotals(dealSums.get(deal.salesOwner) ?? emptyTotals(), dealTotals(deal, period, settings, asOf)),
    );
  }
  const quotasInPeriod = new Map<string, Quota[]>();
  for (const quota of quotas) {
    if (liesWithin(parseForecastPeriod(quota.period), period))
      quotasInPeriod.set(quota.salesOwner, [...(quotasInPeriod.get(quota.salesOwner) ?? []), quota]);
  }
  const byOwner = new Map<string, ForecastTotals>();
  for (const owner of new Set([...dealSums.keys(), ...quotasInPeriod.keys()])) {
    byOwner.set(
      owner,
      withQuota(dealSums.get(owner) ?? emptyTotals(), quotaWithin(quotasInPeriod.get(owner) ?? [], period)),
    );
  }
  return byOwner;
}
