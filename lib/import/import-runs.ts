import { userInfo } from "node:os";
import type { SqlConnection } from "../db/sql-driver";
import type { CalendarDate } from "../gtm/calendar-date";
import type { CrmEntity } from "./crm-entities";
import type { UpsertCounts } from "./upsert";

export interface EntityCounts extends UpsertCounts {
  /** Rows a snapshot import deleted because its file no longer had them. */
  removed: number;
}

export type ImportRunCounts = Partial<Record<CrmEntity, EntityCounts>>;

export interface NewImportRun {
  /** Who or what imported: "npm run import (ana)", "demo seed". */
  source: string;
  /** The files as given. */
  files: string;
  snapshot: boolean;
  /** The --effective-date given, if any; the run's effective instant is read from the transaction. */
  effectiveDate?: CalendarDate;
}

const MAX_SOURCE = 200;

/** What `npm run import` records as the source of its runs: the command and the OS user running it. */
export function commandLineSource(): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name, if any.
    user = process.env.USER ?? process.env.USERNAME;
  }
  return user ? `npm run import (${user})` : "npm run import";
}

/**
 * Records an import in the import's transaction, after setEffectiveTime, and points the versions
 * it writes at the run. finishImportRun fills in the counts before commit.
 */
export async function startImportRun(tx: SqlConnection, run: NewImportRun): Promise<number> {
  const [{ id }] = await tx.query<{ id: number }>(
    `INSERT INTO import_runs (effective_at, effective_date, source, files, snapshot, counts)
     VALUES (history_effective_at(), $1::date, $2, $3, $4, '{}'::jsonb) RETURNING id`,
    [run.effectiveDate ?? null, run.source.slice(0, MAX_SOURCE), run.files, run.snapshot],
  );
  await tx.query(`SELECT set_config('pipeline.run_id', $1, true)`, [String(id)]);
  return id;
}

export async function finishImportRun(tx: SqlConnection, id: number, counts: ImportRunCounts): Promise<void> {
  await tx.query(`UPDATE import_runs SET counts = $2::jsonb WHERE id = $1`, [id, JSON.stringify(counts)]);
}
