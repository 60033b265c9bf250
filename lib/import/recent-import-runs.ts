import type { PrismaClient } from "../db/generated/client";
import { type CalendarDate, toCalendarDate } from "../gtm/calendar-date";
import type { ImportRunCounts } from "./import-runs";

export interface ImportRunSummary {
  id: number;
  startedAt: Date;
  /** When its changes took effect. */
  effectiveAt: Date;
  /** The --effective-date given; null: the import's own time. */
  effectiveDate: CalendarDate | null;
  source: string;
  files: string;
  snapshot: boolean;
  counts: ImportRunCounts;
}

/** The latest imports, newest first (the admin page lists them). */
export async function recentImportRuns(prisma: PrismaClient, limit = 30): Promise<ImportRunSummary[]> {
  const runs = await prisma.importRun.findMany({
    orderBy: { id: "desc" },
    take: limit,
    select: {
      id: true,
      startedAt: true,
      effectiveAt: true,
      effectiveDate: true,
      source: true,
      files: true,
      snapshot: true,
      counts: true,
    },
  });
  return runs.map((run) => ({
    ...run,
    effectiveDate: run.effectiveDate && toCalendarDate(run.effectiveDate),
    counts: run.counts as ImportRunCounts,
  }));
}
