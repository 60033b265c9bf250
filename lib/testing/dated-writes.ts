import type { Database } from "../db/open-database";
import type { CalendarDate } from "../gtm/calendar-date";

/**
 * Writes the current tables as of the start of `day` (UTC), so the history triggers date the
 * versions then: the state at the end of `day` includes them. Statements are trusted test SQL.
 */
export function writeOn(db: Database, day: CalendarDate, ...statements: string[]): Promise<void> {
  return db.driver.withConnection((connection) =>
    connection.transaction(async (tx) => {
      await tx.query(`SELECT set_config('pipeline.effective_at', '${day}T00:00:00Z', true)`);
      for (const statement of statements) await tx.query(statement);
    }),
  );
}
