import path from "node:path";
import type { SqlConnection, SqlDriver } from "../db/sql-driver";
import { applyCrossRowRules } from "./cross-row-rules";
import { CRM_ENTITIES, type CrmEntity, ENTITY_SPECS } from "./crm-entities";
import { readProblems, rejectReasons } from "./import-problems";
import type { ImportReport } from "./import-report";
import { stageFile } from "./stage-file";
import { analyzeStagingTables, createStagingTables } from "./staging-tables";
import { previewUpsert, upsert } from "./upsert";
import { writeRejects } from "./write-rejects";

export type ImportFiles = Partial<Record<CrmEntity, string>>;

export interface ImportOptions {
  /** Validate and count what would change, write nothing. */
  dryRun?: boolean;
  /** Import the valid rows; write the others to `<file>.rejects.csv`. */
  skipInvalid?: boolean;
  /** How many problems the report lists (all are counted). */
  maxProblems?: number;
  /** Rows per staging statement. */
  batchSize?: number;
  /**
   * A load of at least this many valid rows into a table that holds fewer rebuilds the
   * table's secondary indexes and foreign keys instead of maintaining them row by row
   * (default 50,000).
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
 * problems found allow it, the valid rows are upserted set-based. Memory stays bounded by
 * one batch whatever the file size.
 */
export async function importCrmFiles(db: { driver: SqlDriver }, files: ImportFiles, options: ImportOptions = {}): Promise<ImportReport> {
  const given = CRM_ENTITIES.filter((entity) => files[entity] !== undefined);
  if (given.length === 0) throw new Error("Nothing to import: give a customers, opportunities or teams file.");
  return db.driver.withConnection((connection) => connection.transaction((tx) => runImport(tx, given, files, options)));
}

async function runImport(tx: SqlConnection, given: CrmEntity[], files: ImportFiles, options: ImportOptions): Promise<ImportReport> {
  const phase = phaseTimer(options.onPhase);
  const labels = fileLabels(files);

  await createStagingTables(tx);
  const report: ImportReport = { outcome: options.dryRun ? "dry-run" : "imported", entities: {}, problems: [], problemCount: 0, fileProblem: false, warnings: [] };
  for (const entity of given) {
    const staged = await stageFile(tx, ENTITY_SPECS[entity], files[entity]!, labels[entity], options.batchSize ?? DEFAULT_BATCH);
    report.entities[entity] = { file: files[entity]!, rows: staged.rows, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
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

  for (const entity of given) {
    const spec = ENTITY_SPECS[entity];
    Object.assign(report.entities[entity]!, options.dryRun ? await previewUpsert(tx, spec) : await upsert(tx, spec, options.bulkLoadMinRows, phase));
    phase(`${options.dryRun ? "preview" : "upsert"} ${entity}`);
  }
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
