import type { SqlConnection } from "../db/sql-driver";
import { stagingTable } from "./crm-entities";
import { canSwap, stageAndSwap } from "./stage-and-swap";
import type { WrittenColumns } from "./written-columns";

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** A load at least this large takes the bulk path (updateThenInsert; stage and swap when it is also larger than the table). */
const BULK_LOAD_MIN_ROWS = 50_000;

const casted = (written: WrittenColumns, alias: string) => written.columns.map((c) => `${alias}.${c.name}${c.cast}`);
/** The column list and the staged values of an INSERT, with the values a new row takes for columns the file lacks. */
const insertColumns = (written: WrittenColumns) =>
  [...written.columns.map((c) => c.name), ...written.insertOnly.map((c) => c.name)].join(", ");
const insertValues = (written: WrittenColumns, alias: string) =>
  [...casted(written, alias), ...written.insertOnly.map((c) => c.value)].join(", ");

/**
 * Writes the valid staged rows of one entity to its table, set-based; a row is updated only when
 * a value its file has differs, so a re-import is a no-op. A small load upserts with ON CONFLICT
 * (other writers go on); a large one takes the table for itself (updateThenInsert), and one larger
 * than the table also loads a copy of it (stage and swap).
 */
export async function upsert(
  tx: SqlConnection,
  written: WrittenColumns,
  bulkLoadMinRows = BULK_LOAD_MIN_ROWS,
  phase?: (name: string) => void,
): Promise<UpsertCounts> {
  const { spec } = written;
  const [{ valid }] = await tx.query<{ valid: number }>(
    `SELECT count(*)::int AS valid FROM ${stagingTable(spec.entity)} WHERE ok`,
  );
  if (valid < Math.max(1, bulkLoadMinRows)) return upsertRows(tx, written);
  const [{ existing }] = await tx.query<{ existing: number }>(
    `SELECT count(*)::int AS existing FROM (SELECT 1 FROM ${spec.table} LIMIT $1) t`,
    [valid],
  );
  if (existing < valid && (await canSwap(tx, spec.table)))
    return stageAndSwap(tx, spec.table, (staged) => updateThenInsert(tx, written, valid, staged), phase);
  const counts = await updateThenInsert(tx, written, valid, spec.table);
  phase?.(`insert ${spec.table}`);
  return counts;
}

/**
 * Rows that match the stored ones are left out before the INSERT: ON CONFLICT would lock each
 * of them only to find nothing to update, and a weekly snapshot is mostly such rows.
 */
async function upsertRows(tx: SqlConnection, written: WrittenColumns): Promise<UpsertCounts> {
  const { spec } = written;
  const staged = stagingTable(spec.entity);
  const [key, ...rest] = written.columns.map((c) => c.name);
  const values = casted(written, "s").slice(1);
  const [row] = await tx.query<{ inserted: number; updated: number; valid: number }>(
    `WITH up AS (
       INSERT INTO ${spec.table} AS t (${insertColumns(written)})
       SELECT ${insertValues(written, "s")} FROM ${staged} s LEFT JOIN ${spec.table} stored ON stored.${key} = s.${key}
       WHERE s.ok AND (stored.${key} IS NULL OR (${rest.map((name) => `stored.${name}`).join(", ")}) IS DISTINCT FROM (${values.join(", ")}))
       ON CONFLICT (${key}) DO UPDATE SET ${rest.map((name) => `${name} = EXCLUDED.${name}`).join(", ")}
       WHERE (${rest.map((name) => `t.${name}`).join(", ")}) IS DISTINCT FROM (${rest.map((name) => `EXCLUDED.${name}`).join(", ")})
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
            (SELECT count(*)::int FROM ${staged} WHERE ok) AS valid
     FROM up`,
  );
  return { inserted: row.inserted, updated: row.updated, unchanged: row.valid - row.inserted - row.updated };
}

/**
 * The bulk path's upsert, into `table` (the entity's table, or its staged copy: stage-and-swap.ts).
 * Under an EXCLUSIVE table lock no other writer can add a key meanwhile, so an UPDATE of the rows
 * that exist followed by a plain INSERT of the others does what ON CONFLICT does at less cost:
 * ON CONFLICT's speculative insertion writes a third WAL record per row (BENCHMARKS.md,
 * "Measurements behind the code"), and a weekly whole-CRM import of 100,000 changed rows in 1M
 * took 15.0-16.1 s this way against 18.2-18.4 s (session 9). EXCLUSIVE leaves readers alone
 * (only ACCESS EXCLUSIVE conflicts with a SELECT). Dropping the indexes and foreign keys in place,
 * as this path once did, took ACCESS EXCLUSIVE until commit: every page waited for the whole
 * import (BENCHMARKS.md, issue 13 item 10). A table that cannot be swapped (customers:
 * opportunities reference it) keeps its indexes and maintains them row by row.
 */
async function updateThenInsert(
  tx: SqlConnection,
  written: WrittenColumns,
  valid: number,
  table: string,
): Promise<UpsertCounts> {
  const { spec } = written;
  const staged = stagingTable(spec.entity);
  const [key, ...rest] = written.columns.map((c) => c.name);
  const values = casted(written, "s");
  await tx.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
  const [{ empty }] = await tx.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`);
  const [{ updated }] = await tx.query<{ updated: number }>(
    `WITH changed AS (
       UPDATE ${table} AS t SET (${rest.join(", ")}) = ROW(${values.slice(1).join(", ")})
       FROM ${staged} s WHERE s.ok AND t.${key} = s.${key} AND (${rest.map((name) => `t.${name}`).join(", ")}) IS DISTINCT FROM (${values.slice(1).join(", ")})
       RETURNING 1
     )
     SELECT count(*)::int AS updated FROM changed`,
  );
  const [{ inserted }] = await tx.query<{ inserted: number }>(
    `WITH added AS (
       INSERT INTO ${table} (${insertColumns(written)})
       SELECT ${insertValues(written, "s")} FROM ${staged} s WHERE s.ok${empty ? "" : ` AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${key} = s.${key})`}
       RETURNING 1
     )
     SELECT count(*)::int AS inserted FROM added`,
  );
  return { inserted, updated, unchanged: valid - inserted - updated };
}

/** What `upsert` would do, read-only: the same comparison, made with a join instead of a write. */
export async function previewUpsert(tx: SqlConnection, written: WrittenColumns): Promise<UpsertCounts> {
  const { spec } = written;
  const [key, ...rest] = written.columns.map((c) => c.name);
  const values = casted(written, "s").slice(1);
  const [row] = await tx.query<{ inserted: number; updated: number; valid: number }>(
    `SELECT count(*) FILTER (WHERE t.${key} IS NULL)::int AS inserted,
            count(*) FILTER (WHERE t.${key} IS NOT NULL AND (${rest.map((name) => `t.${name}`).join(", ")}) IS DISTINCT FROM (${values.join(", ")}))::int AS updated,
            count(*)::int AS valid
     FROM ${stagingTable(spec.entity)} s LEFT JOIN ${spec.table} t ON t.${key} = s.${key}
     WHERE s.ok`,
  );
  return { inserted: row.inserted, updated: row.updated, unchanged: row.valid - row.inserted - row.updated };
}
