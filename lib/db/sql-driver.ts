import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";

/**
 * The few raw-SQL operations that the migration runner and bulk writes need,
 * on one connection, the same on PGlite and PostgreSQL. Prisma's driver adapters
 * cannot run multi-statement SQL, so these go to the driver itself.
 */
export interface SqlConnection {
  /** Runs one or more statements without parameters (a migration file). */
  exec(sql: string): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface SqlDriver {
  /** Runs `work` on one dedicated connection (session state such as advisory locks stays put). */
  withConnection<T>(work: (connection: SqlConnection & { transaction: <R>(fn: (tx: SqlConnection) => Promise<R>) => Promise<R> }) => Promise<T>): Promise<T>;
}

export function pgliteDriver(db: PGlite): SqlDriver {
  const wrap = (target: PGlite | Transaction): SqlConnection => ({
    exec: async (sql) => {
      await target.exec(sql);
    },
    query: async <Row>(sql: string, params?: unknown[]) => (await target.query<Row>(sql, params)).rows,
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
  const wrap = (client: PoolClient): SqlConnection => ({
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
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
        const connection = wrap(client);
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
