import { copyTextField, type SqlConnection } from "../db/sql-driver";
import { CRM_ENTITIES, type CrmEntity, ENTITY_SPECS, type EntitySpec, stagingTable } from "./crm-entities";
import { CREATE_PROBLEMS_TABLE, emptyProblemBatch, insertProblems, type ProblemBatch } from "./import-problems";

/**
 * A staging table for every entity, given or not (the cross-row rules read them all), each
 * row with its line number and whether it is valid (an optional column's empty or absent value
 * is NULL), and the problems table; all dropped at commit.
 */
export async function createStagingTables(tx: SqlConnection): Promise<void> {
  for (const entity of CRM_ENTITIES) {
    const columns = ENTITY_SPECS[entity].columns.map((c) => `${c.name} text${c.optional ? "" : " NOT NULL"}`);
    await tx.query(
      `CREATE TEMP TABLE ${stagingTable(entity)} (line int NOT NULL, ok boolean NOT NULL, ${columns.join(", ")}) ON COMMIT DROP`,
    );
  }
  await tx.query(CREATE_PROBLEMS_TABLE);
}

/** Empties the staging tables and the problems table for the next import in the same transaction. */
export async function clearStagingTables(tx: SqlConnection): Promise<void> {
  await tx.query(`TRUNCATE ${CRM_ENTITIES.map(stagingTable).join(", ")}, import_problems`);
}

/**
 * Stages rows that are valid by construction (generated, not read from a file): each a value
 * per column of the entity's spec, as the text a file would hold; null or absent is empty.
 */
export async function stageValidRows(
  tx: SqlConnection,
  entity: CrmEntity,
  rows: readonly Record<string, string | null | undefined>[],
): Promise<void> {
  const spec = ENTITY_SPECS[entity];
  let text = "";
  rows.forEach((row, index) => {
    text += `${index + 2}\tt`;
    for (const column of spec.columns) {
      const value = row[column.name];
      text += value === null || value === undefined ? "\t\\N" : `\t${copyTextField(value)}`;
    }
    text += "\n";
  });
  if (text !== "") await tx.copyFrom(stagingTable(entity), ["line", "ok", ...spec.columns.map((c) => c.name)], text);
}

/** Statistics for the set-based rules and upserts that read the staging tables. */
export async function analyzeStagingTables(tx: SqlConnection): Promise<void> {
  for (const entity of CRM_ENTITIES) await tx.query(`ANALYZE ${stagingTable(entity)}`);
}

/**
 * Writes one file's staged rows and problems in batches of `batchSize` rows. One batch is
 * in flight while the next is parsed: PostgreSQL works while Node parses.
 */
export class StagingWriter {
  private readonly columns: string[];
  private rows = "";
  private rowCount = 0;
  private problems = emptyProblemBatch();
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tx: SqlConnection,
    private readonly spec: EntitySpec,
    private readonly batchSize: number,
  ) {
    this.columns = ["line", "ok", ...spec.columns.map((c) => c.name)];
  }

  /** Adds one row in COPY's text format, newline included: line, ok (t or f), then the columns in the spec's order. */
  add(row: string): void {
    this.rows += row;
    this.rowCount++;
  }

  get full(): boolean {
    return this.rowCount >= this.batchSize;
  }

  problem(line: number, position: number, col: string, reason: string): void {
    this.problems.line.push(line);
    this.problems.position.push(position);
    this.problems.col.push(col);
    this.problems.reason.push(reason);
  }

  /** Sends what was added; resolves once the previous batch is in (this one is then in flight). */
  async flush(): Promise<void> {
    const rows = this.rows;
    const problems = this.problems.line.length > 0 ? this.problems : undefined;
    this.rows = "";
    this.rowCount = 0;
    if (problems) this.problems = emptyProblemBatch();
    await this.pending;
    this.pending = this.write(rows, problems);
    this.pending.catch(() => undefined);
  }

  /** Sends what is left and waits until the database has it all. */
  async close(): Promise<void> {
    await this.flush();
    await this.pending;
  }

  private async write(rows: string, problems: ProblemBatch | undefined): Promise<void> {
    if (rows.length > 0) await this.tx.copyFrom(stagingTable(this.spec.entity), this.columns, rows);
    if (problems) await insertProblems(this.tx, this.spec.entity, problems);
  }
}
