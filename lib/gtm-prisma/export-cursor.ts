import type { Prisma } from "../db/generated/client";
import { inlineSql } from "../db/inline-sql";
import type { Database } from "../db/open-database";
import { unescapeCopyField, type SqlDriver } from "../db/sql-driver";

const NEWLINE = 0x0a;

export interface CopyRowsOptions {
  /** Statements run first in the read's transaction (`SET LOCAL ...`: planner settings for this read only). */
  settings?: readonly string[];
}

/**
 * Every row of one SELECT, each as its fields' text (null for NULL), through ONE
 * `COPY (select) TO STDOUT` in a transaction on a dedicated connection of `driver`: the database
 * plans and runs the whole ordered set once and streams it as text, which is split here with
 * no per-row protocol parsing (pg's row parsing cost more CPU than the rest of a CSV export).
 * Rows come in batches as the network delivers them; the socket's buffers are the read-ahead,
 * and a slow consumer stops the server. Returning the iterator (a client gone) drops the
 * connection, which stops the COPY, and resolves once the connection is given back; a failed
 * COPY rolls back and is thrown.
 *
 * Needs a connection of its own for as long as the read lasts, so PostgreSQL only: PGlite's
 * one connection is shared with every other query of the process.
 */
export function copyRows(
  driver: SqlDriver,
  statement: Prisma.Sql,
  options: CopyRowsOptions = {},
): AsyncIterable<(string | null)[][]> {
  return { [Symbol.asyncIterator]: () => new CopyReader(driver, inlineSql(statement), options) };
}

class CopyReader implements AsyncIterator<(string | null)[][]> {
  private chunks?: Promise<AsyncIterator<Buffer>>;
  /** Ends the transaction callback: COMMIT without an error, ROLLBACK with one. */
  private finish?: (error?: unknown) => void;
  private released: Promise<void> = Promise.resolve();
  /** The bytes after the last whole row of the chunks so far. */
  private rest?: Buffer;
  private ended = false;

  constructor(
    private readonly driver: SqlDriver,
    private readonly select: string,
    private readonly options: CopyRowsOptions,
  ) {}

  async next(): Promise<IteratorResult<(string | null)[][]>> {
    try {
      while (!this.ended) {
        const chunks = await (this.chunks ??= this.open());
        const chunk = await chunks.next();
        if (this.ended) break;
        if (chunk.done) {
          if (this.rest) throw new Error("COPY data ended inside a row");
          await this.end();
          break;
        }
        const rows = this.rows(chunk.value);
        if (rows.length > 0) return { done: false, value: rows };
      }
    } catch (error) {
      await this.end(error);
      throw error;
    }
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<(string | null)[][]>> {
    await this.end();
    return { done: true, value: undefined };
  }

  /** The whole rows that `chunk` completes. A raw newline only ends a row (COPY writes a newline in a value as `\n`). */
  private rows(chunk: Buffer): (string | null)[][] {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const last = data.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.rest = data;
      return [];
    }
    this.rest = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : undefined;
    const lines = data.toString("utf8", 0, last).split("\n");
    const rows: (string | null)[][] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const fields: (string | null)[] = line.split("\t");
      // Only a backslash starts an escape (\\N, \\t, \\n, \\\\, ...): most rows have none.
      if (line.includes("\\")) for (let k = 0; k < fields.length; k++) fields[k] = unescapeCopyField(fields[k]!);
      rows[i] = fields;
    }
    return rows;
  }

  private open(): Promise<AsyncIterator<Buffer>> {
    return new Promise((resolve, reject) => {
      let opened = false;
      this.released = this.driver
        .withConnection((connection) =>
          connection.transaction(async (tx) => {
            if (!tx.copyTo) throw new Error("this database cannot COPY TO STDOUT");
            for (const setting of this.options.settings ?? []) await tx.query(setting);
            const chunks = tx.copyTo(this.select)[Symbol.asyncIterator]();
            const ended = new Promise<void>(
              (done, fail) => (this.finish = (error) => (error === undefined ? done() : fail(error))),
            );
            opened = true;
            resolve(chunks);
            await ended;
          }),
        )
        // Once open, the read's own error is thrown by next(); ending the transaction of a dropped connection fails, unheard.
        .catch((error: unknown) => {
          if (!opened) reject(error);
        });
    });
  }

  /** Ends the read once: stops the COPY if it is still sending, ends the transaction, and resolves when the connection is back. */
  private async end(error?: unknown): Promise<void> {
    if (this.ended) return this.released;
    this.ended = true;
    this.rest = undefined;
    if (this.chunks) {
      const chunks = await this.chunks.catch(() => undefined);
      if (chunks) {
        // Drops the connection if the COPY is still sending (a no-op once it has ended or failed).
        await chunks.return?.().catch(() => undefined);
        this.finish?.(error ?? undefined);
      }
    }
    await this.released;
  }
}

/** The driver to give PrismaOpportunityRepository for export reads: PostgreSQL's pool; none on PGlite (keyset batches). */
export function exportCursorDriver(db: Pick<Database, "driver" | "target">): SqlDriver | undefined {
  return db.target.kind === "postgres" ? db.driver : undefined;
}
