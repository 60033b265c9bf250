import type { SqlConnection } from "../db/sql-driver";
import { type CalendarDate, calendarDateAt } from "../gtm/calendar-date";
import { startOfDay } from "../gtm/history-time";

/** When an import's changes take effect. */
export interface EffectiveTime {
  /** The instant every version the import writes starts at. */
  at: Date;
  /** The calendar date of that instant in the business time zone. */
  date: CalendarDate;
  /** The --effective-date given, if any. */
  given?: CalendarDate;
}

/**
 * Tells the history triggers when this transaction's changes take effect: the start of the
 * given day in `timeZone` (the files are the CRM as it stood that day), else the
 * transaction's own time. Everything later in the import reads it back from the database.
 */
export async function setEffectiveTime(
  tx: SqlConnection,
  given: CalendarDate | undefined,
  timeZone: string,
): Promise<EffectiveTime> {
  const [{ at }] = await tx.query<{ at: Date }>(
    `SELECT set_config('pipeline.effective_at', t::text, true), t AS at FROM (SELECT COALESCE($1::timestamptz, now()) AS t) effective`,
    [given === undefined ? null : startOfDay(given, timeZone).toISOString()],
  );
  return { at, date: given ?? calendarDateAt(at, timeZone), given };
}
