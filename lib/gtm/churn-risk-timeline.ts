import { type CalendarDate, calendarDateAt } from "./calendar-date";
import type { ChurnRisk } from "./customer";
import { endOfDay } from "./history-time";

/** One recorded state of a customer. */
export interface CustomerVersion {
  validFrom: Date;
  validTo: Date | null;
  name: string;
  churnRisk: ChurnRisk;
}

/** A stretch of days with one churn risk: since `since`, until `until` (exclusive; null while it lasts). */
export interface ChurnRiskPeriod {
  churnRisk: ChurnRisk;
  since: CalendarDate;
  until: CalendarDate | null;
  /** Days from `since` to `until`, or to the as-of day while it lasts. */
  days: number;
}

const MS_PER_DAY = 86_400_000;
const daysBetween = (from: CalendarDate, to: CalendarDate) =>
  Math.round((Date.parse(to) - Date.parse(from)) / MS_PER_DAY);

/**
 * Each change of churn risk as of `asOf` (newest first): versions that change only the name
 * continue the period they are in; a gap (no version in force) ends it. Days are calendar days
 * in `timeZone` (GTM_TIMEZONE); changes after the end of `asOf` are not yet known then.
 */
export function churnRiskTimeline(
  versions: readonly CustomerVersion[],
  asOf: CalendarDate,
  timeZone: string,
): ChurnRiskPeriod[] {
  const seenAt = endOfDay(asOf, timeZone).getTime();
  const known = versions
    .filter((version) => version.validFrom.getTime() < seenAt)
    .sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
  const periods: { churnRisk: ChurnRisk; from: Date; to: Date | null }[] = [];
  for (const version of known) {
    const last = periods[periods.length - 1];
    const to = version.validTo && version.validTo.getTime() < seenAt ? version.validTo : null;
    if (last && last.churnRisk === version.churnRisk && last.to?.getTime() === version.validFrom.getTime())
      last.to = to;
    else periods.push({ churnRisk: version.churnRisk, from: version.validFrom, to });
  }
  return periods
    .map((period) => {
      const since = calendarDateAt(period.from, timeZone);
      const until = period.to ? calendarDateAt(period.to, timeZone) : null;
      return { churnRisk: period.churnRisk, since, until, days: daysBetween(since, until ?? asOf) };
    })
    .reverse();
}
