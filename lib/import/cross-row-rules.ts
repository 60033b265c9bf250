import type { SqlConnection } from "../db/sql-driver";
import { type CrmEntity, ENTITY_SPECS, type EntitySpec, stagingTable } from "./crm-entities";

/**
 * The rules that span rows, set-based SQL over the staging tables once every file has been
 * read to the end: ids unique within a file, an opportunity's customer exists. A row that
 * breaks one is marked invalid and its problem recorded. `labels` name each entity's file.
 */
export async function applyCrossRowRules(
  tx: SqlConnection,
  given: readonly CrmEntity[],
  labels: Record<CrmEntity, string>,
): Promise<void> {
  for (const entity of given) await flagDuplicates(tx, ENTITY_SPECS[entity]);
  if (given.includes("opportunities"))
    await flagMissingCustomers(tx, given.includes("customers") ? labels.customers : undefined);
}

/** The 1-based position of a column in the spec, which orders the problems of a line. */
const positionOf = (spec: EntitySpec, column: string) => spec.columns.findIndex((c) => c.name === column) + 1;

/** Ids unique within the file: every occurrence after the first is rejected. */
async function flagDuplicates(tx: SqlConnection, spec: EntitySpec): Promise<void> {
  const table = stagingTable(spec.entity);
  const key = spec.columns[0].name;
  // Usually there are none: a sorted count (byte order, as equality is) answers that faster
  // than the hash aggregate below (BENCHMARKS.md, "Measurements behind the code").
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
     SELECT $1::text, line, $2::int, $3::text, format('"%s" appears more than once in this file (first on line %s)', id, first_line) FROM dup`,
    [spec.entity, positionOf(spec, key), key],
  );
}

/** An opportunity's customer is in the database or among the valid rows of this import's customers file. */
async function flagMissingCustomers(tx: SqlConnection, customersLabel: string | undefined): Promise<void> {
  const opportunities = ENTITY_SPECS.opportunities;
  const staged = stagingTable(opportunities.entity);
  const reason = customersLabel
    ? `customer "%s" is neither in the database nor among the valid rows of ${customersLabel}`
    : `customer "%s" is not in the database; import it first, or together with --customers`;
  await tx.query(
    `WITH missing AS (
       SELECT o.line, o.customer_id FROM ${staged} o
       WHERE o.ok
         AND NOT EXISTS (SELECT 1 FROM ${ENTITY_SPECS.customers.table} c WHERE c.customer_id = o.customer_id)
         AND NOT EXISTS (SELECT 1 FROM ${stagingTable("customers")} s WHERE s.ok AND s.customer_id = o.customer_id)
     ), flagged AS (
       UPDATE ${staged} SET ok = false FROM missing WHERE ${staged}.line = missing.line RETURNING 1
     )
     INSERT INTO import_problems (entity, line, position, col, reason)
     SELECT $1::text, line, $2::int, 'customer_id', format($3, customer_id) FROM missing`,
    [opportunities.entity, positionOf(opportunities, "customer_id"), reason],
  );
}
