import { addDays, addMonths, type CalendarDate } from "./calendar-date";
import { GtmDomainError } from "./errors";

/**
 * A forecast period: one calendar month ("2026-05") or quarter ("2026-Q2"), with its
 * first and last day (both inclusive). Quotas are set for the same kinds of period.
 */
export interface ForecastPeriod {
  key: string;
  kind: "month" | "quarter";
  start: CalendarDate;
  end: CalendarDate;
}

export class InvalidForecastPeriod extends GtmDomainError {
  constructor(value: string, field = "period") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    super(
      field,
      `"${shown}" is not a period: use YYYY-MM for a month or YYYY-Qn for a quarter, like 2026-05 or 2026-Q2`,
    );
  }
}

const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_KEY = /^(\d{4})-Q([1-4])$/;

const pad = (value: number, width: number) => String(value).padStart(width, "0");

function monthStart(year: number, month: number): CalendarDate {
  return `${pad(year, 4)}-${pad(month, 2)}-01` as CalendarDate;
}

/** The last day of the span that starts on `start` and lasts `months` months. */
function lastDay(start: CalendarDate, months: number): CalendarDate {
  return addDays(addMonths(start, months), -1);
}

export function monthPeriod(year: number, month: number): ForecastPeriod {
  const start = monthStart(year, month);
  return { key: `${pad(year, 4)}-${pad(month, 2)}`, kind: "month", start, end: lastDay(start, 1) };
}

export function quarterPeriod(year: number, quarter: number): ForecastPeriod {
  const start = monthStart(year, (quarter - 1) * 3 + 1);
  return { key: `${pad(year, 4)}-Q${quarter}`, kind: "quarter", start, end: lastDay(start, 3) };
}

export function isForecastPeriodKey(value: string): boolean {
  const match = MONTH_KEY.exec(value) ?? QUARTER_KEY.exec(value);
  return match !== null && Number(match[1]) >= 1;
}

/** `YYYY-MM` or `YYYY-Qn` (year 0001-9999); anything else throws InvalidForecastPeriod. */
export function parseForecastPeriod(value: string, field?: string): ForecastPeriod {
  const month = MONTH_KEY.exec(value);
  if (month && Number(month[1]) >= 1) return monthPeriod(Number(month[1]), Number(month[2]));
  const quarter = QUARTER_KEY.exec(value);
  if (quarter && Number(quarter[1]) >= 1) return quarterPeriod(Number(quarter[1]), Number(quarter[2]));
  throw new InvalidForecastPeriod(value, field);
}

/** The quarter a day falls in: the default forecast period is the quarter of today. */
export function quarterContaining(date: CalendarDate): ForecastPeriod {
  const [year, month] = date.split("-").map(Number);
  return quarterPeriod(year, Math.floor((month - 1) / 3) + 1);
}

/** The quarter `offset` quarters after (negative: before) `period`'s quarter. */
export function shiftQuarter(period: ForecastPeriod, offset: number): ForecastPeriod {
  return quarterContaining(addMonths(quarterContaining(period.start).start, offset * 3));
}

/** A quota period counts towards P when it lies entirely within P: a quarter holds its months and itself. */
export function liesWithin(inner: ForecastPeriod, outer: ForecastPeriod): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** Every period key that lies within `period`, the quotas to add up for it. */
export function periodKeysWithin(period: ForecastPeriod): string[] {
  if (period.kind === "month") return [period.key];
  const [year, month] = period.start.split("-").map(Number);
  return [period.key, ...[0, 1, 2].map((offset) => monthPeriod(year, month + offset).key)];
}

/**
 * The days over which win rate and sales cycle are measured: "the 4 quarters ending with
 * P", i.e. the 12 months ending on P's last day. For a quarter that is P and the three
 * quarters before it; for a month, that month and the 11 before it.
 */
export function winRateWindow(period: ForecastPeriod): { start: CalendarDate; end: CalendarDate } {
  const lastMonthStart = `${period.end.slice(0, 7)}-01` as CalendarDate;
  return { start: addMonths(lastMonthStart, -11), end: period.end };
}

export function containsDate(span: { start: CalendarDate; end: CalendarDate }, date: CalendarDate): boolean {
  return date >= span.start && date <= span.end;
}
