import { InvalidCalendarDate } from "./errors";

/** A date without time or zone, always "YYYY-MM-DD"; ISO strings compare correctly as text. */
export type CalendarDate = string & { readonly __brand: "CalendarDate" };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): value is CalendarDate {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function parseCalendarDate(value: string, field?: string): CalendarDate {
  if (!isCalendarDate(value)) throw new InvalidCalendarDate(value, field);
  return value;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// One formatter per zone: making one costs far more than using it.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date at instant `now` in an IANA time zone; the caller owns the clock. */
export function calendarDateAt(now: Date, timeZone: string): CalendarDate {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timeZone, format);
  }
  return parseCalendarDate(format.format(now));
}

export function toCalendarDate(date: Date): CalendarDate {
  return date.toISOString().slice(0, 10) as CalendarDate;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const utc = new Date(`${date}T00:00:00Z`);
  utc.setUTCDate(utc.getUTCDate() + days);
  return toCalendarDate(utc);
}

/** Adds calendar months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = date.split("-").map(Number);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, "0")}-${String(targetMonth).padStart(2, "0")}-${String(targetDay).padStart(2, "0")}` as CalendarDate;
}

/** "YYYY-MM" of a calendar date. */
export function monthOf(date: CalendarDate): string {
  return date.slice(0, 7);
}

export function firstOfMonth(date: CalendarDate): CalendarDate {
  return `${date.slice(0, 7)}-01` as CalendarDate;
}

export function firstOfQuarter(date: CalendarDate): CalendarDate {
  const month = Number(date.slice(5, 7));
  const quarterMonth = month - ((month - 1) % 3);
  return `${date.slice(0, 4)}-${String(quarterMonth).padStart(2, "0")}-01` as CalendarDate;
}
