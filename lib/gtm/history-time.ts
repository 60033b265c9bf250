import { addDays, type CalendarDate } from "./calendar-date";

/**
 * When history's instants are. A dated import (`--effective-date D`) takes effect at the start
 * of D in the business time zone (GTM_TIMEZONE); a past view (`asOf=D`) shows the versions in
 * force at the end of D, which is the same instant as the start of D + 1: an import dated D + 1
 * is not yet in it, one dated D is. A version [validFrom, validTo) is in force at the end of D
 * when validFrom < endOfDay(D) <= validTo (validTo null: still current).
 */

// Making a formatter costs far more than using one (a dashboard view asks for dozens of day starts).
const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** Minutes east of UTC of `timeZone` at `instant`. */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = wallClock(timeZone).formatToParts(new Date(instant));
  const field = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const local = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
  return Math.round((local - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant local midnight begins `date` in `timeZone` (where DST skips midnight, the first instant of the day). */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  const midnightUtc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  let instant = midnightUtc - offsetMinutes(midnightUtc, timeZone) * 60_000;
  // The offset at the guess can differ from the offset at the answer across a DST change: settle it.
  for (let i = 0; i < 2; i++) instant = midnightUtc - offsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant);
}

/** The instant the end of `date` is seen at: the start of the next day. */
export function endOfDay(date: CalendarDate, timeZone: string): Date {
  return startOfDay(addDays(date, 1), timeZone);
}

export interface Validity {
  validFrom: Date;
  /** Null while the version is current. */
  validTo: Date | null;
}

/** Whether a version was the record's state at the end of a day (at `instant` = endOfDay(day)). */
export function inForceAt(version: Validity, instant: Date): boolean {
  return (
    version.validFrom.getTime() < instant.getTime() &&
    (version.validTo === null || instant.getTime() <= version.validTo.getTime())
  );
}
