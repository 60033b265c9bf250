import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";
import { from as copyFromStdin, to as copyToStdout } from "pg-copy-streams";

/**
 * The few raw-SQL operations that the migration runner and bulk writes need,
 * on one connection, the same on PGlite and PostgreSQL. Prisma's driver adapters
 * cannot run multi-statement SQL, so these go to the driver itself.
 */
export interface SqlConnection {
  /** Runs one or more statements without parameters (a migration file). */
  exec(sql: string): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Bulk-loads rows with COPY. `data` is in COPY's text format: one row per line ending in a
   * newline, fields separated by tabs, each field written by `copyTextField`. `table` and
   * `columns` are trusted SQL identifiers. Resolves once the database has the rows; a row
   * the database refuses fails the whole statement (and so the transaction).
   */
  copyFrom(table: string, columns: readonly string[], data: string): Promise<void>;
  /**
   * PostgreSQL only (undefined on PGlite): `COPY (select) TO STDOUT`, in COPY's text format, as
   * the chunks arrive (a chunk may end mid-row or mid-character). `select` is one SELECT without
   * parameters (COPY takes none). A failed COPY is thrown. Returning the iterator before the end
   * drops the connection (the server stops at its next write, and the pool opens a new one):
   * there is no quicker way to stop a COPY that is sending, and no statement may follow on it.
   */
  copyTo?(select: string): AsyncIterable<Buffer>;
}

export interface SqlDriver {
  /** Runs `work` on one dedicated connection (session state such as advisory locks stays put). */
  withConnection<T>(
    work: (
      connection: SqlConnection & { transaction: <R>(fn: (tx: SqlConnection) => Promise<R>) => Promise<R> },
    ) => Promise<T>,
  ): Promise<T>;
}

/**
 * One value as a field of COPY's text format: a backslash, tab, newline or carriage return
 * in it is written `\\`, `\t`, `\n`, `\r` (so no value can end the data early with `\.`).
 * PostgreSQL text cannot hold NUL: a value with one is refused here rather than sent.
 */
export function copyTextField(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  if (value.includes("\0")) throw new RangeError("a NUL character cannot be stored in PostgreSQL text");
  return value.replace(ESCAPED, (c) => COPY_ESCAPES[c]);
}

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPED = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

const copyStatement = (table: string, columns: readonly string[], source: string) =>
  `COPY ${table} (${columns.join(", ")}) FROM ${source}`;

/** COPY text back into one array per column (`\\N` is NULL), for a driver without a fast COPY. */
export function splitCopyText(data: string, width: number): (string | null)[][] {
  const arrays: (string | null)[][] = Array.from({ length: width }, () => []);
  const lines = data.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const fields = line.split("\t");
    if (fields.length !== width)
      throw new RangeError(`COPY data: a row has ${fields.length} fields, expected ${width}`);
    for (let k = 0; k < width; k++) arrays[k].push(unescapeCopyField(fields[k]));
  }
  return arrays;
}

const COPY_UNESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** One field of COPY's text format as its value (`\\N` is NULL). */
export function unescapeCopyField(field: string): string | null {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(.)/gs, (_, c: string) => COPY_UNESCAPES[c] ?? c);
}

export function pgliteDriver(db: PGlite): SqlDriver {
  const wrap = (target: PGlite | Transaction): SqlConnection => ({
    exec: async (sql) => {
      await target.exec(sql);
    },
    query: async <Row>(sql: string, params?: unknown[]) => (await target.query<Row>(sql, params)).rows,
    // PGlite 0.5 can COPY FROM '/dev/blob' (the `blob` query option), but it measured slower
    // than one INSERT of unnest()ed arrays (BENCHMARKS.md, "Measurements behind the code");
    // so the rows go in as arrays, typed like the table's columns.
    copyFrom: async (table, columns, data) => {
      const types = new Map(
        (
          await target.query<{ name: string; type: string }>(
            `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
            [table],
          )
        ).rows.map((row) => [row.name, row.type]),
      );
      const arrays = splitCopyText(data, columns.length);
      const casts = columns.map((column, i) => `$${i + 1}::${types.get(column) ?? "text"}[]`);
      await target.query(
        `INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM unnest(${casts.join(", ")})`,
        arrays,
      );
    },
  });
  // PGlite is one connection; callers of withConnection take turns, as they would for a pooled connection.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    withConnection: (work) => {
      const turn = queue.then(() => work({ ...wrap(db), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) }));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

export function pgDriver(pool: Pool): SqlDriver {
  const wrap = (client: PoolClient, drop: (reason: Error) => void): SqlConnection => ({
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    copyFrom: (table, columns, data) =>
      new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFromStdin(copyStatement(table, columns, "STDIN")));
        // "finish" comes after the server's ReadyForQuery: the rows are in, the connection is free again.
        stream.on("finish", () => resolve());
        stream.on("error", reject);
        stream.end(data);
      }),
    copyTo: async function* (select) {
      const stream = client.query(copyToStdout(`COPY (${select}) TO STDOUT`));
      // pg reports a failure by emitting "error" itself, even once the stream is destroyed: never unheard.
      let failed = false;
      stream.on("error", () => (failed = true));
      let complete = false;
      try {
        for await (const chunk of stream) yield chunk as Buffer;
        complete = true;
      } finally {
        if (!complete && !failed) {
          drop(new Error("COPY TO abandoned before its end"));
          // pg-copy-streams has paused the socket and reads it itself: without this the server blocks on a full socket forever.
          (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        }
      }
    },
  });
  return {
    withConnection: async (work) => {
      const client = await pool.connect();
      // A checked-out client emits "error" when the server goes away; the pending query rejects with it
      // anyway, and an unheard "error" event would crash the process (the pool only listens to idle clients).
      let broken: Error | undefined;
      const onError = (error: Error) => (broken = error);
      client.on("error", onError);
      try {
        const connection = wrap(client, (reason) => (broken ??= reason));
        return await work({
          ...connection,
          transaction: async (fn) => {
            await client.query("BEGIN");
            try {
              const result = await fn(connection);
              await client.query("COMMIT");
              return result;
            } catch (error) {
              // On a lost connection ROLLBACK fails too; the server rolls back by itself. Keep the first error.
              if (!broken) await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
              throw error;
            }
          },
        });
      } finally {
        client.off("error", onError);
        // A broken connection is destroyed, not handed to the next caller.
        client.release(broken);
      }
    },
  };
}
