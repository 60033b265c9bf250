import type { SqlConnection } from "../db/sql-driver";
import type { CalendarDate } from "../gtm/calendar-date";
import { type EntitySpec, type ImportColumn, stagingTable } from "./crm-entities";

/**
 * What an import writes to one entity's table: the columns its file has, so a row whose file
 * lacks an optional column keeps the stored value (and is not counted as changed because of it).
 */
export interface WrittenColumns {
  spec: EntitySpec;
  /** The key first, then the columns compared and written. */
  columns: ImportColumn[];
  /** Columns the file lacks that a new row still sets: name and SQL value. */
  insertOnly: { name: string; value: string }[];
}

/** `optionalColumns`: those the file has. `effectiveDate` is a validated YYYY-MM-DD, safe to write as a literal. */
export function writtenColumns(
  spec: EntitySpec,
  optionalColumns: readonly string[],
  effectiveDate: CalendarDate,
): WrittenColumns {
  const has = (column: ImportColumn) => !column.optional || optionalColumns.includes(column.name);
  return {
    spec,
    columns: spec.columns.filter(has),
    insertOnly: spec.columns
      .filter((column) => column.defaultsToEffectiveDate && !has(column))
      .map((column) => ({ name: column.name, value: `'${effectiveDate}'::date` })),
  };
}

/**
 * An effective-date column the file has but leaves empty on some rows: before the upsert compares
 * and writes, those cells take the stored value, or for a new row the effective date. Only the
 * empty cells are touched, each with one primary-key lookup.
 */
export async function fillEffectiveDateDefaults(
  tx: SqlConnection,
  written: WrittenColumns,
  effectiveDate: CalendarDate,
): Promise<void> {
  const { spec } = written;
  const staged = stagingTable(spec.entity);
  const key = spec.columns[0].name;
  for (const column of written.columns.filter((c) => c.defaultsToEffectiveDate)) {
    await tx.query(
      `UPDATE ${staged} s SET ${column.name} = COALESCE((SELECT t.${column.name}::text FROM ${spec.table} t WHERE t.${key} = s.${key}), $1)
       WHERE s.ok AND s.${column.name} IS NULL`,
      [effectiveDate],
    );
  }
}
