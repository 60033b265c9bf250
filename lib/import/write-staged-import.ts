import type { SqlConnection } from "../db/sql-driver";
import type { CalendarDate } from "../gtm/calendar-date";
import { type CrmEntity, ENTITY_SPECS } from "./crm-entities";
import { type EffectiveTime, setEffectiveTime } from "./effective-time";
import { finishImportRun, type ImportRunCounts, startImportRun } from "./import-runs";
import { findLaterChanges, refusalMessage } from "./later-changes";
import { previewRemoval, removeMissing } from "./snapshot-removal";
import { previewUpsert, upsert } from "./upsert";
import { fillEffectiveDateDefaults, writtenColumns } from "./written-columns";

export interface StagedEntity {
  entity: CrmEntity;
  /** The optional columns its file has. */
  optionalColumns: readonly string[];
}

export interface StagedImport {
  /** In import order (customers before the opportunities that reference them). */
  entities: readonly StagedEntity[];
  /** The staged opportunities are the whole pipeline: any other opportunity is removed. */
  snapshot: boolean;
  /** The day the files show the CRM as it stood; absent: the transaction's own time. */
  effectiveDate?: CalendarDate;
  timeZone: string;
  source: string;
  files: string;
  /** Check and count, write nothing (no run either). */
  dryRun?: boolean;
  bulkLoadMinRows?: number;
  phase?: (name: string) => void;
}

export type StagedImportResult =
  | { outcome: "refused"; refusal: string; effective: EffectiveTime }
  | { outcome: "written" | "previewed"; counts: ImportRunCounts; effective: EffectiveTime; runId?: number };

/**
 * The write path of every import (the CSV import, the demo seed): the valid rows in the staging
 * tables go to the current tables as of the effective time, and the history triggers record each
 * change in this same transaction, under one import run. Refused, writing nothing, when a record
 * it touches already has a later change.
 */
export async function writeStagedImport(tx: SqlConnection, request: StagedImport): Promise<StagedImportResult> {
  const phase = request.phase ?? (() => undefined);
  const effective = await setEffectiveTime(tx, request.effectiveDate, request.timeZone);
  const entities = request.entities.map((staged) => staged.entity);
  const later = await findLaterChanges(tx, entities, request.snapshot);
  phase("history check");
  if (later.length > 0)
    return { outcome: "refused", refusal: refusalMessage(later, effective, request.timeZone), effective };

  const runId = request.dryRun
    ? undefined
    : await startImportRun(tx, {
        source: request.source,
        files: request.files,
        snapshot: request.snapshot,
        effectiveDate: request.effectiveDate,
      });
  const counts: ImportRunCounts = {};
  for (const { entity, optionalColumns } of request.entities) {
    const spec = ENTITY_SPECS[entity];
    const written = writtenColumns(spec, optionalColumns, effective.date);
    await fillEffectiveDateDefaults(tx, written, effective.date);
    const upserted = request.dryRun
      ? await previewUpsert(tx, written)
      : await upsert(tx, written, request.bulkLoadMinRows, phase);
    phase(`${request.dryRun ? "preview" : "upsert"} ${entity}`);
    let removed = 0;
    if (request.snapshot && entity === "opportunities") {
      removed = request.dryRun ? await previewRemoval(tx, spec) : await removeMissing(tx, spec);
      phase(`${request.dryRun ? "preview" : "remove"} missing ${entity}`);
    }
    counts[entity] = { ...upserted, removed };
  }
  if (runId !== undefined) await finishImportRun(tx, runId, counts);
  return { outcome: request.dryRun ? "previewed" : "written", counts, effective, runId };
}
