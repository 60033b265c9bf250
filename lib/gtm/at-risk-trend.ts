import type Decimal from "decimal.js";
import { addDays, type CalendarDate } from "./calendar-date";

/** How far back the dashboard's at-risk trend goes, in weeks. */
export const TREND_WEEKS = 12;

/** Revenue at risk at the end of one day: the summary's at-risk figure for asOf = that day. */
export interface TrendPoint {
  day: CalendarDate;
  atRisk: Decimal;
  atRiskCount: number;
}

/** The ends of the last `weeks` weeks, oldest first; the last is `asOf` itself. */
export function trendDays(asOf: CalendarDate, weeks = TREND_WEEKS): CalendarDate[] {
  return Array.from({ length: weeks }, (_, index) => addDays(asOf, -7 * (weeks - 1 - index)));
}
