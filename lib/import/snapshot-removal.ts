import type { SqlConnection } from "../db/sql-driver";
import { type EntitySpec, stagingTable } from "./crm-entities";

/**
 * A snapshot import's file is the whole table as the CRM held it: a row in the table whose id
 * is nowhere in the file is deleted, which the history trigger records as removed at the
 * effective time. A row of the file rejected under --skip-invalid still counts as in it.
 */
export async function removeMissing(tx: SqlConnection, spec: EntitySpec): Promise<number> {
  const [{ removed }] = await tx.query<{ removed: number }>(
    `WITH gone AS (DELETE FROM ${spec.table} t WHERE ${missingFromFile(spec)} RETURNING 1) SELECT count(*)::int AS removed FROM gone`,
  );
  return removed;
}

/** What `removeMissing` would remove, read-only. */
export async function previewRemoval(tx: SqlConnection, spec: EntitySpec): Promise<number> {
  const [{ removed }] = await tx.query<{ removed: number }>(
    `SELECT count(*)::int AS removed FROM ${spec.table} t WHERE ${missingFromFile(spec)}`,
  );
  return removed;
}

function missingFromFile(spec: EntitySpec): string {
  const key = spec.columns[0].name;
  return `NOT EXISTS (SELECT 1 FROM ${stagingTable(spec.entity)} s WHERE s.${key} = t.${key})`;
}
