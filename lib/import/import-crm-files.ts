import path from "node:path";
import { copyTextField, type SqlConnection, type SqlDriver } from "../db/sql-driver";
import { GtmDomainError } from "../gtm/errors";
import { type CrmEntity, ENTITY_SPECS, type EntitySpec } from "./crm-entities";
import { CsvSyntaxError, readCsvFile } from "./csv-reader";
import { MissingValue, NotUtf8, ValueTooLong } from "./field-rules";
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

export interface ImportProblem {
  file: string;
  line: number;
  column?: string;
  /** Names file, line, column, value and reason, ready to print. */
  message: string;
}

export interface EntityReport {
  file: string;
  /** Data rows read (header and empty lines not counted). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejectsFile?: string;
}

export interface ImportReport {
  /** `rejected`: nothing was written because of the problems listed. */
  outcome: "imported" | "dry-run" | "rejected";
  entities: Partial<Record<CrmEntity, EntityReport>>;
  problems: ImportProblem[];
  problemCount: number;
  /** A problem with a file itself (header, broken quoting): --skip-invalid cannot help. */
  fileProblem: boolean;
  warnings: string[];
}

const DEFAULT_BATCH = 5_000;
/** `position` of a problem with the file itself (header, broken quoting), not with one row. */
const FILE_LEVEL = -1;

/**
 * Imports CRM CSV files in one transaction: all-or-nothing unless `skipInvalid`.
 *
 * One streaming pass per file validates each row in TypeScript (the domain's parsers)
 * and stages it, with its line number, in a temporary table. The rules that span rows
 * (unique ids, an opportunity's customer exists) are then set-based SQL over the
 * staging tables, so memory stays bounded by one batch whatever the file size. Valid
 * rows are upserted set-based; inserted/updated counts come from `RETURNING (xmax = 0)`
 * and an update happens only when a value differs, so a re-import is a no-op.
 */
export async function importCrmFiles(db: { driver: SqlDriver }, files: ImportFiles, options: ImportOptions = {}): Promise<ImportReport> {
  const specs = ENTITY_SPECS.filter((spec) => files[spec.entity] !== undefined);
  if (specs.length === 0) throw new Error("Nothing to import: give a customers, opportunities or teams file.");
  try {
    return await db.driver.withConnection((connection) => connection.transaction((tx) => runImport(tx, specs, files, options)));
  } catch (error) {
    if (error instanceof Rollback) return error.report;
    throw error;
  }
}

class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super("import rolled back");
  }
}

const stagingTable = (spec: EntitySpec) => `import_stage_${spec.entity}`;
const entityIndex = (spec: EntitySpec) => ENTITY_SPECS.indexOf(spec);

async function runImport(tx: SqlConnection, specs: EntitySpec[], files: ImportFiles, options: ImportOptions): Promise<ImportReport> {
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    options.onPhase?.(name, (now - phaseStart) / 1000);
    phaseStart = now;
  };
  const labels = new Map(ENTITY_SPECS.map((spec) => [entityIndex(spec), files[spec.entity] ? path.basename(files[spec.entity]!) : spec.entity]));
  await createStagingTables(tx);
  const warnings: string[] = [];
  const entities: ImportReport["entities"] = {};
  let fatal = false;
  for (const spec of specs) {
    const staged = await stageFile(tx, spec, files[spec.entity]!, labels.get(entityIndex(spec))!, options.batchSize ?? DEFAULT_BATCH);
    warnings.push(...staged.warnings);
    fatal ||= staged.fatal;
    entities[spec.entity] = { file: files[spec.entity]!, rows: staged.rows, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
    phase(`stage ${spec.entity}`);
  }
  for (const spec of ENTITY_SPECS) await tx.query(`ANALYZE ${stagingTable(spec)}`);
  phase("analyze staging");
  // Cross-row rules only make sense on files that could be read to the end.
  if (!fatal) {
    for (const spec of specs) await flagDuplicates(tx, spec);
    if (files.opportunities) await flagMissingCustomers(tx, files.customers ? labels.get(entityIndex(ENTITY_SPECS[0]))! : undefined);
  }
  phase("cross-row rules");

  const [{ count: problemCount }] = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM import_problems`);
  const rejectedRows = await tx.query<{ entity: number; rejected: number }>(
    `SELECT entity, count(DISTINCT line)::int AS rejected FROM import_problems WHERE position <> ${FILE_LEVEL} GROUP BY entity`,
  );
  for (const row of rejectedRows) entities[ENTITY_SPECS[row.entity].entity]!.rejected = row.rejected;
  const problemRows = await tx.query<{ entity: number; line: number; col: string; reason: string }>(
    `SELECT entity, line, col, reason FROM import_problems ORDER BY entity, line, position LIMIT $1`,
    [options.maxProblems ?? 50],
  );
  const problems = problemRows.map((row) => toProblem(labels.get(row.entity)!, row.line, row.col, row.reason));
  const report: ImportReport = { outcome: options.dryRun ? "dry-run" : "imported", entities, problems, problemCount, fileProblem: fatal, warnings };

  if (problemCount > 0 && (fatal || !options.skipInvalid)) throw new Rollback({ ...report, outcome: "rejected" });

  for (const spec of specs) {
    const counts = options.dryRun ? await previewUpsert(tx, spec) : await upsert(tx, spec, options.bulkLoadMinRows, phase);
    Object.assign(entities[spec.entity]!, counts);
    phase(`${options.dryRun ? "preview" : "upsert"} ${spec.entity}`);
  }
  if (options.skipInvalid && !options.dryRun) {
    for (const spec of specs) {
      const entity = entities[spec.entity]!;
      if (entity.rejected === 0) continue;
      entity.rejectsFile = `${entity.file}.rejects.csv`;
      await writeRejects(entity.file, entity.rejectsFile, (after, limit) =>
        tx.query<{ line: number; reason: string }>(
          `SELECT line, string_agg(CASE WHEN col = '' THEN format('line %s: %s', line, reason)
                                        ELSE format('line %s, column %s: %s', line, col, reason) END, '; ' ORDER BY position) AS reason
           FROM import_problems WHERE entity = $1 AND line > $2 GROUP BY line ORDER BY line LIMIT $3`,
          [entityIndex(spec), after, limit],
        ),
      );
    }
  }
  return report;
}

function toProblem(file: string, line: number, column: string, reason: string): ImportProblem {
  if (line === 0) return { file, line, message: `${file}: ${reason}` };
  if (column === "") return { file, line, message: `${file} line ${line}: ${reason}` };
  return { file, line, column, message: `${file} line ${line}, column ${column}: ${reason}` };
}

async function createStagingTables(tx: SqlConnection): Promise<void> {
  const statements = ENTITY_SPECS.map(
    (spec) =>
      `CREATE TEMP TABLE ${stagingTable(spec)} (line int NOT NULL, ok boolean NOT NULL, ${spec.columns.map((c) => `${c.name} text NOT NULL`).join(", ")}) ON COMMIT DROP`,
  );
  statements.push(`CREATE TEMP TABLE import_problems (entity int NOT NULL, line int NOT NULL, position int NOT NULL, col text NOT NULL, reason text NOT NULL) ON COMMIT DROP`);
  for (const statement of statements) await tx.query(statement);
}

interface StagedFile {
  rows: number;
  fatal: boolean;
  warnings: string[];
}

async function stageFile(tx: SqlConnection, spec: EntitySpec, file: string, label: string, batchSize: number): Promise<StagedFile> {
  const entity = entityIndex(spec);
  const width = spec.columns.length;
  const problems = { entity: [] as number[], line: [] as number[], position: [] as number[], col: [] as string[], reason: [] as string[] };
  const problem = (line: number, position: number, col: string, reason: string) => {
    problems.entity.push(entity);
    problems.line.push(line);
    problems.position.push(position);
    problems.col.push(col);
    problems.reason.push(reason);
  };
  // The batch in COPY's text format: line, ok, then the columns in the spec's order.
  const stagedColumns = ["line", "ok", ...spec.columns.map((c) => c.name)];
  let batch = "";
  let batchRows = 0;
  let pending: Promise<unknown> = Promise.resolve();
  // One batch is in flight while the next is parsed: PostgreSQL works while Node parses.
  const flush = async () => {
    const data = batch;
    const problemParams = problems.line.length > 0 ? [problems.entity, problems.line, problems.position, problems.col, problems.reason].map((a) => a.splice(0)) : undefined;
    batch = "";
    batchRows = 0;
    await pending;
    pending = (async () => {
      if (data.length > 0) await tx.copyFrom(stagingTable(spec), stagedColumns, data);
      if (problemParams) {
        await tx.query(
          `INSERT INTO import_problems (entity, line, position, col, reason) SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[])`,
          problemParams,
        );
      }
    })();
    pending.catch(() => undefined);
  };

  let positions: number[] | undefined;
  let headerWidth = 0;
  let rows = 0;
  let fatal = false;
  const warnings: string[] = [];
  try {
    read: for await (const records of readCsvFile(file)) {
      for (const record of records) {
        // PostgreSQL text cannot hold NUL; in a CSV it means UTF-16 or binary. Shown as �, it is rejected like any non-UTF-8 byte.
        if (record.fields.some((field) => field.includes("\u0000"))) record.fields = record.fields.map((field) => field.replaceAll("\u0000", "\uFFFD"));
        if (positions === undefined) {
          const header = record.fields.map((name) => name.trim().toLowerCase());
          const headerProblem = checkHeader(spec, header);
          if (headerProblem) {
            problem(record.line, FILE_LEVEL, "", headerProblem);
            fatal = true;
            break read;
          }
          positions = spec.columns.map((column) => header.indexOf(column.name));
          headerWidth = header.length;
          const extra = header.filter((name) => !spec.columns.some((column) => column.name === name));
          if (extra.length > 0) warnings.push(`${label}: ignoring column${extra.length > 1 ? "s" : ""} ${extra.map((e) => `"${e}"`).join(", ")} (not part of the ${spec.entity} import)`);
          continue;
        }
        rows++;
        let ok = true;
        let cells = "";
        const { fields, line } = record;
        if (record.malformed) {
          problem(line, 0, "", record.malformed);
          ok = false;
        }
        if (fields.length !== headerWidth) {
          const hint = fields.length > headerWidth ? " (a value that contains a comma must be in double quotes)" : "";
          problem(line, 0, "", `expected ${headerWidth} fields as in the header, found ${fields.length}${hint}`);
          ok = false;
          for (let k = 0; k < width; k++) cells += `\t${copyTextField((fields[positions[k]] ?? "").trim())}`;
        } else {
          for (let k = 0; k < width; k++) {
            const column = spec.columns[k];
            const value = fields[positions[k]].trim();
            let stored = value;
            try {
              if (value === "") throw new MissingValue(column.name);
              if (value.includes("\uFFFD")) throw new NotUtf8(column.name, value);
              stored = column.rule(value, column.name);
            } catch (error) {
              if (!(error instanceof GtmDomainError)) throw error;
              problem(line, k + 1, column.name, error.message);
              ok = false;
              // A rejected row is never written; staging a huge value (a 100 MB field) would only cost time.
              if (error instanceof ValueTooLong) stored = "";
            }
            cells += `\t${copyTextField(stored)}`;
          }
        }
        batch += `${line}\t${ok ? "t" : "f"}${cells}\n`;
        if (++batchRows >= batchSize) await flush();
      }
    }
    if (positions === undefined && !fatal) {
      problem(0, FILE_LEVEL, "", `the file is empty; the first line must be the header ${spec.columns.map((c) => c.name).join(",")}`);
      fatal = true;
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    problem(error.line, FILE_LEVEL, "", `${error.reason}; the rest of the file was not read`);
    fatal = true;
  }
  await flush();
  await pending;
  return { rows, fatal, warnings };
}

function checkHeader(spec: EntitySpec, header: string[]): string | undefined {
  const expected = spec.columns.map((c) => c.name).join(",");
  if (header.some((name) => name.includes("\uFFFD"))) {
    return `the header is not UTF-8 text (is the file UTF-16, or not a CSV at all?); save it as "CSV UTF-8" with the header ${expected}`;
  }
  const missing = spec.columns.map((c) => c.name).filter((name) => !header.includes(name));
  if (missing.length > 0) {
    return `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in the header (found ${truncateText(header.join(","), 200)}); the ${spec.entity} file must start with the header ${expected}`;
  }
  const twice = spec.columns.map((c) => c.name).find((name) => header.indexOf(name) !== header.lastIndexOf(name));
  if (twice) return `column ${twice} appears more than once in the header`;
  return undefined;
}

/** Ids unique within the file: every occurrence after the first is rejected. */
async function flagDuplicates(tx: SqlConnection, spec: EntitySpec): Promise<void> {
  const table = stagingTable(spec);
  const key = spec.columns[0].name;
  // Usually there are none: a sorted count (byte order, as equality is) answers that in about
  // half the time of the hash aggregate below (0.5 vs 1 s of CPU for 1,000,000 rows).
  const [{ repeated }] = await tx.query<{ repeated: number }>(
    `SELECT (count(*) - count(DISTINCT ${key} COLLATE "C"))::int AS repeated FROM ${table} WHERE ${key} <> ''`,
  );
  if (repeated === 0) return;
  await tx.query(
    `WITH first AS (
       SELECT ${key} AS id, min(line) AS first_line FROM ${table} WHERE ${key} <> '' GROUP BY ${key} HAVING count(*) > 1
     ), dup AS (
       SELECT s.line, s.${key} AS id, first.first_line FROM ${table} s JOIN first ON first.id = s.${key} WHERE s.line > first.first_line
     ), flagged AS (
       UPDATE ${table} SET ok = false FROM dup WHERE ${table}.line = dup.line RETURNING ${table}.line
     )
     INSERT INTO import_problems (entity, line, position, col, reason)
     SELECT $1, line, 1, $2, format('"%s" appears more than once in this file (first on line %s)', id, first_line) FROM dup`,
    [entityIndex(spec), key],
  );
}

/** An opportunity's customer is in the database or among the valid rows of this import's customers file. */
async function flagMissingCustomers(tx: SqlConnection, customersLabel: string | undefined): Promise<void> {
  const reason = customersLabel
    ? `customer "%s" is neither in the database nor among the valid rows of ${customersLabel}`
    : `customer "%s" is not in the database; import it first, or together with --customers`;
  await tx.query(
    `WITH missing AS (
       SELECT o.line, o.customer_id FROM import_stage_opportunities o
       WHERE o.ok
         AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id)
         AND NOT EXISTS (SELECT 1 FROM import_stage_customers s WHERE s.ok AND s.customer_id = o.customer_id)
     ), flagged AS (
       UPDATE import_stage_opportunities SET ok = false FROM missing WHERE import_stage_opportunities.line = missing.line RETURNING 1
     )
     INSERT INTO import_problems (entity, line, position, col, reason)
     SELECT $1, line, 2, 'customer_id', format($2, customer_id) FROM missing`,
    [ENTITY_SPECS.findIndex((spec) => spec.entity === "opportunities"), reason],
  );
}

interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

const casted = (spec: EntitySpec, alias: string) => spec.columns.map((c) => `${alias}.${c.name}${c.cast}`);

/** A load at least this large, and at least as large as the table, rebuilds the secondary indexes instead of maintaining them. */
const BULK_LOAD_MIN_ROWS = 50_000;

async function upsert(tx: SqlConnection, spec: EntitySpec, bulkLoadMinRows = BULK_LOAD_MIN_ROWS, phase?: (name: string) => void): Promise<UpsertCounts> {
  const [{ valid }] = await tx.query<{ valid: number }>(`SELECT count(*)::int AS valid FROM ${stagingTable(spec)} WHERE ok`);
  if (valid < Math.max(1, bulkLoadMinRows)) return upsertRows(tx, spec);
  const [{ existing }] = await tx.query<{ existing: number }>(`SELECT count(*)::int AS existing FROM (SELECT 1 FROM ${spec.table} LIMIT $1) t`, [valid]);
  return existing < valid ? withoutSecondaryIndexes(tx, spec.table, () => updateThenInsert(tx, spec, valid), phase) : upsertRows(tx, spec);
}

/**
 * Bulk load: maintaining every secondary index and checking every foreign key row by row
 * costs several times the insert itself (BENCHMARKS.md, Scale). Drop them inside the
 * import's transaction and rebuild them from their own definitions before it commits:
 * one sort per index and one set-based foreign-key check. Primary and unique keys stay
 * (ON CONFLICT needs them). Dropping takes an exclusive lock on the table until commit,
 * which is why only loads at least as large as the table do it.
 */
async function withoutSecondaryIndexes<T>(tx: SqlConnection, table: string, work: () => Promise<T>, phase?: (name: string) => void): Promise<T> {
  const indexes = await tx.query<{ name: string; definition: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = $1::regclass AND NOT x.indisprimary AND NOT x.indisunique ORDER BY i.relname`,
    [table],
  );
  const foreignKeys = await tx.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`,
    [table],
  );
  const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
  for (const fk of foreignKeys) await tx.query(`ALTER TABLE ${table} DROP CONSTRAINT ${ident(fk.name)}`);
  for (const index of indexes) await tx.query(`DROP INDEX ${ident(index.name)}`);
  phase?.(`drop ${table} indexes`);
  const result = await work();
  phase?.(`insert ${table}`);
  await tx.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const index of indexes) await tx.query(index.definition);
  phase?.(`rebuild ${table} indexes`);
  for (const fk of foreignKeys) await tx.query(`ALTER TABLE ${table} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
  phase?.(`check ${table} foreign keys`);
  await tx.query(`ANALYZE ${table}`);
  return result;
}

async function upsertRows(tx: SqlConnection, spec: EntitySpec): Promise<UpsertCounts> {
  const [key, ...rest] = spec.columns.map((c) => c.name);
  const [row] = await tx.query<{ inserted: number; updated: number; valid: number }>(
    `WITH up AS (
       INSERT INTO ${spec.table} AS t (${spec.columns.map((c) => c.name).join(", ")})
       SELECT ${casted(spec, "s").join(", ")} FROM ${stagingTable(spec)} s WHERE s.ok
       ON CONFLICT (${key}) DO UPDATE SET ${rest.map((name) => `${name} = EXCLUDED.${name}`).join(", ")}
       WHERE (${rest.map((name) => `t.${name}`).join(", ")}) IS DISTINCT FROM (${rest.map((name) => `EXCLUDED.${name}`).join(", ")})
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
            (SELECT count(*)::int FROM ${stagingTable(spec)} WHERE ok) AS valid
     FROM up`,
  );
  return { inserted: row.inserted, updated: row.updated, unchanged: row.valid - row.inserted - row.updated };
}

/**
 * The bulk path's upsert. Dropping the indexes took an exclusive lock on the table, so no
 * other writer can add a key meanwhile, and an UPDATE of the rows that exist followed by a
 * plain INSERT of the others does what ON CONFLICT does at about half the cost: ON CONFLICT's
 * speculative insertion writes a third WAL record per row (1,000,000 rows into an empty
 * table: 7.5 s, a plain INSERT 3.8 s).
 */
async function updateThenInsert(tx: SqlConnection, spec: EntitySpec, valid: number): Promise<UpsertCounts> {
  const table = stagingTable(spec);
  const [key, ...rest] = spec.columns.map((c) => c.name);
  const values = casted(spec, "s");
  await tx.query(`LOCK TABLE ${spec.table} IN EXCLUSIVE MODE`);
  const [{ matched, updated }] = await tx.query<{ matched: number; updated: number }>(
    `WITH changed AS (
       UPDATE ${spec.table} AS t SET (${rest.join(", ")}) = (${values.slice(1).join(", ")})
       FROM ${table} s WHERE s.ok AND t.${key} = s.${key} AND (${rest.map((name) => `t.${name}`).join(", ")}) IS DISTINCT FROM (${values.slice(1).join(", ")})
       RETURNING 1
     )
     SELECT (SELECT count(*)::int FROM ${table} s JOIN ${spec.table} t ON t.${key} = s.${key} WHERE s.ok) AS matched,
            (SELECT count(*)::int FROM changed) AS updated`,
  );
  await tx.query(
    `INSERT INTO ${spec.table} (${spec.columns.map((c) => c.name).join(", ")})
     SELECT ${values.join(", ")} FROM ${table} s WHERE s.ok${matched > 0 ? ` AND NOT EXISTS (SELECT 1 FROM ${spec.table} t WHERE t.${key} = s.${key})` : ""}`,
  );
  return { inserted: valid - matched, updated, unchanged: matched - updated };
}

/** What `upsert` would do, read-only: the same comparison, made with a join instead of a write. */
async function previewUpsert(tx: SqlConnection, spec: EntitySpec): Promise<UpsertCounts> {
  const [key, ...rest] = spec.columns.map((c) => c.name);
  const values = casted(spec, "s").slice(1);
  const [row] = await tx.query<{ inserted: number; updated: number; valid: number }>(
    `SELECT count(*) FILTER (WHERE t.${key} IS NULL)::int AS inserted,
            count(*) FILTER (WHERE t.${key} IS NOT NULL AND (${rest.map((name) => `t.${name}`).join(", ")}) IS DISTINCT FROM (${values.join(", ")}))::int AS updated,
            count(*)::int AS valid
     FROM ${stagingTable(spec)} s LEFT JOIN ${spec.table} t ON t.${key} = s.${key}
     WHERE s.ok`,
  );
  return { inserted: row.inserted, updated: row.updated, unchanged: row.valid - row.inserted - row.updated };
}

function truncateText(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
