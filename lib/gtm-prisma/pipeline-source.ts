import { Prisma } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import { endOfDay } from "../gtm/history-time";
import { customersAtSql, opportunitiesAtSql } from "./history-sql";

/**
 * Where a pipeline statement reads its opportunities and customers: the current tables, or
 * the versions in force at the end of a past day (history-sql.ts, same columns). The one
 * place that decides by the query's time (PRODUCT.md "History"): `asOf` before today reads
 * history; today or later reads the current tables, which the rollup may stand for.
 */
export interface PipelineSource {
  opportunities: Prisma.Sql;
  customers: Prisma.Sql;
  /** The instant history is read at (the end of the past day); null for the current tables, where today's fast paths (the rollup, index-only deep pages) apply. */
  instant: Date | null;
}

/** What a repository needs to tell a past day from today; the request context gives it (lib/gtm never reads the clock). */
export interface HistoryClock {
  today: CalendarDate;
  /** GTM_TIMEZONE: where a day ends. */
  timeZone: string;
}

export const CURRENT_TABLES: PipelineSource = {
  opportunities: Prisma.sql`opportunities`,
  customers: Prisma.sql`customers`,
  instant: null,
};

/** The source for a view as of `asOf`. Without a clock (no notion of today) the current tables. */
export function pipelineSourceAt(asOf: CalendarDate, clock: HistoryClock | undefined): PipelineSource {
  if (!clock || asOf >= clock.today) return CURRENT_TABLES;
  return historyAt(endOfDay(asOf, clock.timeZone));
}

/** The versions in force at `instant`. */
function historyAt(instant: Date): PipelineSource {
  return { opportunities: opportunitiesAtSql(instant), customers: customersAtSql(instant), instant };
}
