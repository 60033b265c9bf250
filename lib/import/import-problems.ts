import type { SqlConnection } from "../db/sql-driver";
import { CRM_ENTITIES, type CrmEntity } from "./crm-entities";
import type { ImportProblem } from "./import-report";
import type { RejectPage } from "./write-rejects";

/*
 * Every problem an import finds goes to one temporary table, so a file with a million bad
 * rows costs no memory. `position` orders the problems of a line: FILE_LEVEL for the file
 * itself (header, broken quoting), ROW_LEVEL for the row as a whole, then the 1-based
 * position of the column in the entity's spec.
 */
export const FILE_LEVEL = -1;
export const ROW_LEVEL = 0;

export const CREATE_PROBLEMS_TABLE = `CREATE TEMP TABLE import_problems (entity text NOT NULL, line int NOT NULL, position int NOT NULL, col text NOT NULL, reason text NOT NULL) ON COMMIT DROP`;

/** Problems of one file, one array per column (they are inserted as unnest()ed arrays). */
export interface ProblemBatch {
  line: number[];
  position: number[];
  col: string[];
  reason: string[];
}

export const emptyProblemBatch = (): ProblemBatch => ({ line: [], position: [], col: [], reason: [] });

export async function insertProblems(tx: SqlConnection, entity: CrmEntity, batch: ProblemBatch): Promise<void> {
  await tx.query(
    `INSERT INTO import_problems (entity, line, position, col, reason) SELECT $1::text, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[])`,
    [entity, batch.line, batch.position, batch.col, batch.reason],
  );
}

export interface FoundProblems {
  count: number;
  /** Rows with at least one problem, per entity. */
  rejectedRows: Partial<Record<CrmEntity, number>>;
  /** The first `maxListed`, in import order, then by line and column. */
  listed: ImportProblem[];
}

/** `labels` name each entity's file in the messages. */
export async function readProblems(
  tx: SqlConnection,
  labels: Record<CrmEntity, string>,
  maxListed: number,
): Promise<FoundProblems> {
  const [{ count }] = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM import_problems`);
  const rejected = await tx.query<{ entity: CrmEntity; rejected: number }>(
    `SELECT entity, count(DISTINCT line)::int AS rejected FROM import_problems WHERE position <> ${FILE_LEVEL} GROUP BY entity`,
  );
  const listed = await tx.query<{ entity: CrmEntity; line: number; col: string; reason: string }>(
    `SELECT entity, line, col, reason FROM import_problems ORDER BY array_position($1::text[], entity), line, position LIMIT $2`,
    [CRM_ENTITIES, maxListed],
  );
  return {
    count,
    rejectedRows: Object.fromEntries(rejected.map((row) => [row.entity, row.rejected])),
    listed: listed.map((row) => toProblem(labels[row.entity], row.line, row.col, row.reason)),
  };
}

function toProblem(file: string, line: number, column: string, reason: string): ImportProblem {
  if (line === 0) return { file, line, message: `${file}: ${reason}` };
  if (column === "") return { file, line, message: `${file} line ${line}: ${reason}` };
  return { file, line, column, message: `${file} line ${line}, column ${column}: ${reason}` };
}

/** The reasons each rejected line of one entity's file was refused, one text per line, in pages ordered by line. */
export function rejectReasons(tx: SqlConnection, entity: CrmEntity): RejectPage {
  return (afterLine, limit) =>
    tx.query<{ line: number; reason: string }>(
      `SELECT line, string_agg(CASE WHEN col = '' THEN format('line %s: %s', line, reason)
                                    ELSE format('line %s, column %s: %s', line, col, reason) END, '; ' ORDER BY position) AS reason
       FROM import_problems WHERE entity = $1 AND line > $2 GROUP BY line ORDER BY line LIMIT $3`,
      [entity, afterLine, limit],
    );
}
