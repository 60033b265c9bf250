import type { Prisma } from "../db/generated/client";
import type { Database } from "../db/open-database";
import type { SqlConnection, SqlDriver } from "../db/sql-driver";

const CURSOR = "export_rows";

export interface CursorOptions {
  /** Rows per FETCH. */
  batchSize: number;
  /** Statements run first in the cursor's transaction (`SET LOCAL ...`: planner settings for this read only). */
  settings?: readonly string[];
}

/**
 * Every row of one SELECT, in batches, through ONE server-side cursor (DECLARE ... FETCH) in
 * a transaction on a dedicated connection of `driver`: the database plans and scans the whole
 * ordered set once, instead of one keyset query per batch. The next batch is fetched while the
 * caller works on the current one. Returning the iterator (a client gone) ends the transaction
 * and releases the connection before it resolves; a failed FETCH rolls back and is thrown.
 *
 * Needs a connection of its own for as long as the read lasts, so PostgreSQL only: PGlite's
 * one connection is shared with every other query of the process.
 */
export function cursorBatches<Row>(driver: SqlDriver, statement: Prisma.Sql, options: CursorOptions): AsyncIterable<Row[]> {
  return { [Symbol.asyncIterator]: () => new CursorReader<Row>(driver, statement, options) };
}

class CursorReader<Row> implements AsyncIterator<Row[]> {
  private session?: Promise<SqlConnection>;
  /** Ends the transaction callback: COMMIT without an error, ROLLBACK with one. */
  private finish?: (error?: unknown) => void;
  private released: Promise<void> = Promise.resolve();
  private prefetched?: Promise<Row[]>;
  private ended = false;

  constructor(
    private readonly driver: SqlDriver,
    private readonly statement: Prisma.Sql,
    private readonly options: CursorOptions,
  ) {}

  async next(): Promise<IteratorResult<Row[]>> {
    if (this.ended) return { done: true, value: undefined };
    let rows: Row[];
    try {
      const tx = await (this.session ??= this.open());
      rows = await (this.prefetched ?? this.fetch(tx));
      this.prefetched = undefined;
      if (this.ended) return { done: true, value: undefined };
      if (rows.length < this.options.batchSize) await this.end();
      else {
        this.prefetched = this.fetch(tx);
        // Its failure is thrown by the next call to next(), or ignored by return().
        this.prefetched.catch(() => undefined);
      }
    } catch (error) {
      await this.end(error);
      throw error;
    }
    return rows.length > 0 ? { done: false, value: rows } : { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<Row[]>> {
    await this.end();
    return { done: true, value: undefined };
  }

  private fetch(tx: SqlConnection): Promise<Row[]> {
    // Never send a statement once the transaction has ended: the connection may serve someone else by then.
    if (this.ended) return Promise.resolve([]);
    return tx.query<Row>(`FETCH FORWARD ${this.options.batchSize} FROM ${CURSOR}`);
  }

  private open(): Promise<SqlConnection> {
    return new Promise((resolve, reject) => {
      let opened = false;
      this.released = this.driver
        .withConnection((connection) =>
          connection.transaction(async (tx) => {
            for (const setting of this.options.settings ?? []) await tx.query(setting);
            await tx.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${this.statement.text}`, this.statement.values);
            const ended = new Promise<void>((done, fail) => (this.finish = (error) => (error === undefined ? done() : fail(error))));
            opened = true;
            resolve(tx);
            await ended;
          }),
        )
        .catch((error: unknown) => {
          if (!opened) reject(error);
        });
    });
  }

  /** Ends the read once: waits for a FETCH in flight, ends the transaction, and resolves when the connection is back. */
  private async end(error?: unknown): Promise<void> {
    if (this.ended) return this.released;
    this.ended = true;
    await this.prefetched?.catch(() => undefined);
    this.prefetched = undefined;
    if (this.session) {
      const opened = await this.session.then(
        () => true,
        () => false,
      );
      if (opened) this.finish?.(error ?? undefined);
    }
    await this.released;
  }
}

/** The driver to give PrismaOpportunityRepository for export cursors: PostgreSQL's pool; none on PGlite (keyset batches). */
export function exportCursorDriver(db: Pick<Database, "driver" | "target">): SqlDriver | undefined {
  return db.target.kind === "postgres" ? db.driver : undefined;
}
