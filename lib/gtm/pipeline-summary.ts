import type Decimal from "decimal.js";
import type { CalendarDate } from "./calendar-date";
import type { SalesStage } from "./sales-stage";

/** Aggregates over a whole filtered set (never a page of it). */
export interface PipelineSummary {
  asOf: CalendarDate;
  totals: {
    /** Every opportunity in the set, open or closed. */
    count: number;
    amount: Decimal;
    openPipeline: Decimal;
    openCount: number;
    atRisk: Decimal;
    atRiskCount: number;
    overdue: Decimal;
    overdueCount: number;
    /** Closed won and closed lost deals in the set (none in the default, open view). */
    won: Decimal;
    wonCount: number;
    lost: Decimal;
    lostCount: number;
  };
  /** Every stage with at least one opportunity in the set, in pipeline order. */
  byStage: { stage: SalesStage; count: number; amount: Decimal; open: Decimal; atRisk: Decimal }[];
  /** Owners with open pipeline in the set, most revenue at risk first. */
  byOwner: {
    owner: string;
    open: Decimal;
    openCount: number;
    atRisk: Decimal;
    atRiskCount: number;
    overdue: Decimal;
    overdueCount: number;
  }[];
  /** Open pipeline by close month ("YYYY-MM"), oldest first. */
  byCloseMonth: { month: string; open: Decimal; atRisk: Decimal }[];
}
