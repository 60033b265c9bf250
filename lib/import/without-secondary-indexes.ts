import type { SqlConnection } from "../db/sql-driver";

/**
 * Bulk load: maintaining every secondary index and checking every foreign key row by row
 * costs several times the insert itself (BENCHMARKS.md, Scale). Drop them inside the
 * import's transaction and rebuild them from their own definitions before it commits:
 * one sort per index and one set-based foreign-key check. Primary and unique keys stay
 * (ON CONFLICT needs them). Dropping takes an exclusive lock on the table until commit,
 * which is why only loads at least as large as the table do it.
 */
export async function withoutSecondaryIndexes<T>(tx: SqlConnection, table: string, work: () => Promise<T>, phase?: (name: string) => void): Promise<T> {
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
