import { type CalendarDate, calendarDateAt } from "./gtm/calendar-date";

export const DEFAULT_TIMEZONE = "UTC";

export class InvalidTimeZone extends Error {
  constructor(value: string) {
    super(`GTM_TIMEZONE "${value}" is not an IANA time zone (for example UTC, Europe/Berlin, America/New_York)`);
    this.name = "InvalidTimeZone";
  }
}

// Zones already checked: every request asks, and checking makes a formatter.
const validZones = new Set<string>();

export function configuredTimeZone(value = process.env.GTM_TIMEZONE): string {
  const zone = value?.trim() || DEFAULT_TIMEZONE;
  if (validZones.has(zone)) return zone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new InvalidTimeZone(zone);
  }
  validZones.add(zone);
  return zone;
}

/** "Today" for requests that give no asOf: the current date in GTM_TIMEZONE. The one place that reads the clock. */
export function today(now = new Date()): CalendarDate {
  return calendarDateAt(now, configuredTimeZone());
}
