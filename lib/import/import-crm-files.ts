import path from "node:path";
import type { SqlConnection, SqlDriver } from "../db/sql-driver";
import type { CalendarDate } from "../gtm/calendar-date";
import { configuredTimeZone } from "../today";
import { applyCrossRowRules } from "./cross-row-rules";
import { CRM_ENTITIES, type CrmEntity, ENTITY_SPECS } from "./crm-entities";
import { readProblems, rejectReasons } from "./import-problems";
import type { ImportReport } from "./import-report";
import { commandLineSource } from "./import-runs";
import { stageFile } from "./stage-file";
import { analyzeStagingTables, createStagingTables } from "./staging-tables";
import { type StagedEntity, writeStagedImport } from "./write-staged-import";
import { writeRejects } from "./write-rejects";

export type ImportFiles = Partial<Record<CrmEntity, string>>;

export interface ImportOptions {
  /** Validate and count what would change, write nothing. */
  dryRun?: boolean;
  /** Import the valid rows; write the others to `<file>.rejects.csv`. */
  skipInvalid?: boolean;
  /** The files are the CRM as it stood on this day: the changes take effect at its start in `timeZone`. Absent: the import's own time. */
  effectiveDate?: CalendarDate;
  /** The opportunities file is the whole pipeline: opportunities missing from it are removed at the effective time. */
  snapshot?: boolean;
  /** Recorded with the import run (default: "npm run import" and the OS user). */
  source?: string;
  /** The business time zone (default GTM_TIMEZONE). */
  timeZone?: string;
  /** How many problems the report lists (all are counted). */
  maxProblems?: number;
  /** Rows per staging statement. */
  batchSize?: number;
  /**
   * A load of at least this many valid rows into a table that holds fewer takes the bulk
   * path: an UPDATE of the existing rows then a plain INSERT under a table lock that blocks
   * other writers, never readers (default 50,000).
   */
  bulkLoadMinRows?: number;
  /** Told how long each phase took (staging a file, the cross-row rules, each upsert); for benchmarks. */
  onPhase?: (phase: string, seconds: number) => void;
}

const DEFAULT_BATCH = 5_000;
const DEFAULT_MAX_PROBLEMS = 50;

/**
 * Imports CRM CSV files in one transaction: all-or-nothing unless `skipInvalid`.
 *
 * Each file is staged (read once, each row validated, into a temporary table with its line
 * number); the rules that span rows then run set-based over the staging tables; if the
 * problems found allow it, the valid rows are written set-based by writeStagedImport, which
 * records the history and the import run. Memory stays bounded by one batch whatever the file size.
 */
export async function importCrmFiles(
  db: { driver: SqlDriver },
  files: ImportFiles,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const given = CRM_ENTITIES.filter((entity) => files[entity] !== undefined);
  if (given.length === 0) throw new Error("Nothing to import: give a customers, opportunities or teams file.");
  if (options.snapshot && files.opportunities === undefined)
    throw new Error("A snapshot import needs an opportunities file: it is the whole pipeline.");
  return db.driver.withConnection((connection) => connection.transaction((tx) => runImport(tx, given, files, options)));
}

async function runImport(
  tx: SqlConnection,
  given: CrmEntity[],
  files: ImportFiles,
  options: ImportOptions,
): Promise<ImportReport> {
  const phase = phaseTimer(options.onPhase);
  const labels = fileLabels(files);

  await createStagingTables(tx);
  const report: ImportReport = {
    outcome: options.dryRun ? "dry-run" : "imported",
    entities: {},
    problems: [],
    problemCount: 0,
    fileProblem: false,
    warnings: [],
  };
  const staging: StagedEntity[] = [];
  for (const entity of given) {
    const staged = await stageFile(
      tx,
      ENTITY_SPECS[entity],
      files[entity]!,
      labels[entity],
      options.batchSize ?? DEFAULT_BATCH,
    );
    staging.push({ entity, optionalColumns: staged.optionalColumns });
    report.entities[entity] = {
      file: files[entity]!,
      rows: staged.rows,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      rejected: 0,
    };
    report.warnings.push(...staged.warnings);
    report.fileProblem ||= staged.fileProblem;
    phase(`stage ${entity}`);
  }
  await analyzeStagingTables(tx);
  phase("analyze staging");

  // Cross-row rules only make sense on files that could be read to the end.
  if (!report.fileProblem) await applyCrossRowRules(tx, given, labels);
  phase("cross-row rules");

  const found = await readProblems(tx, labels, options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  report.problems = found.listed;
  report.problemCount = found.count;
  for (const entity of given) report.entities[entity]!.rejected = found.rejectedRows[entity] ?? 0;
  // Only the temporary tables have been written so far, and they are dropped when this transaction ends.
  if (found.count > 0 && (report.fileProblem || !options.skipInvalid)) return { ...report, outcome: "rejected" };

  const written = await writeStagedImport(tx, {
    entities: staging,
    snapshot: options.snapshot ?? false,
    effectiveDate: options.effectiveDate,
    timeZone: options.timeZone ?? configuredTimeZone(),
    source: options.source ?? commandLineSource(),
    files: given.map((entity) => `${entity}: ${files[entity]}`).join(", "),
    dryRun: options.dryRun,
    bulkLoadMinRows: options.bulkLoadMinRows,
    phase,
  });
  report.effective = written.effective;
  // Refused before anything was written: only the temporary tables, dropped with the transaction.
  if (written.outcome === "refused") return { ...report, outcome: "refused", refusal: written.refusal };
  for (const entity of given) Object.assign(report.entities[entity]!, written.counts[entity]);
  report.runId = written.runId;
  if (options.skipInvalid && !options.dryRun) await writeRejectsFiles(tx, report);
  return report;
}

/** Next to each file given with --skip-invalid that had rejected rows: `<file>.rejects.csv`. */
async function writeRejectsFiles(tx: SqlConnection, report: ImportReport): Promise<void> {
  for (const entity of CRM_ENTITIES) {
    const counts = report.entities[entity];
    if (!counts || counts.rejected === 0) continue;
    counts.rejectsFile = `${counts.file}.rejects.csv`;
    await writeRejects(counts.file, counts.rejectsFile, rejectReasons(tx, entity));
  }
}

/** How problem messages name each entity's file: its base name, or the entity when no file was given. */
function fileLabels(files: ImportFiles): Record<CrmEntity, string> {
  const label = (entity: CrmEntity) => (files[entity] ? path.basename(files[entity]) : entity);
  return { customers: label("customers"), opportunities: label("opportunities"), teams: label("teams") };
}

/** Reports the time since the previous phase ended (or since the start) under the given name. */
function phaseTimer(onPhase: ImportOptions["onPhase"]): (name: string) => void {
  let phaseStart = performance.now();
  return (name) => {
    const now = performance.now();
    onPhase?.(name, (now - phaseStart) / 1000);
    phaseStart = now;
  };
}
