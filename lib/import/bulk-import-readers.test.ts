import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, expect, it } from "vitest";
import { describeEachDatabase, postgresTestUrl, type TestDatabase } from "../testing/test-databases";
import { type ImportFiles, importCrmFiles } from "./import-crm-files";

const CUSTOMERS = "customer_id,name,churn_risk\nC-1,Acme,high\nC-2,Globex,low\n";
const OPPORTUNITIES = "opp_id,customer_id,stage,close_date,amount,sales_owner\n";

/** Readers run on other connections while an import's transaction is open: PostgreSQL only (PGlite has one connection). */
describeEachDatabase("a bulk import and the dashboard's readers", (kind) => {
  let db: TestDatabase | undefined;
  const clients: pg.Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end();
    await db?.dispose();
  });

  async function connect(): Promise<pg.Client> {
    const [{ name }] = await db!.driver.withConnection((c) =>
      c.query<{ name: string }>("SELECT current_database() AS name"),
    );
    const url = new URL(postgresTestUrl()!);
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    clients.push(client);
    return client;
  }

  it.skipIf(kind.name.startsWith("PGlite"))(
    "while a bulk load runs, a reader gets the committed pipeline at once, without waiting for the import",
    async () => {
      db = await kind.create();
      const dir = mkdtempSync(path.join(tmpdir(), "bulk-readers-"));
      const file = (name: string, content: string) => (
        writeFileSync(path.join(dir, name), content),
        path.join(dir, name)
      );
      await importCrmFiles(db, {
        customers: file("c.csv", CUSTOMERS),
        opportunities: file("o1.csv", OPPORTUNITIES + "O-1,C-1,proposal,2026-12-01,10.00,rep.a\n"),
      });

      // Holding the history table stops the import where its history trigger records the versions its update ended: loaded, not yet committed.
      const holder = await connect();
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE opportunity_history IN EXCLUSIVE MODE");
      const files: ImportFiles = {
        opportunities: file(
          "o2.csv",
          OPPORTUNITIES +
            "O-1,C-1,proposal,2026-12-01,11.00,rep.a\nO-2,C-2,proposal,2026-12-02,20.00,rep.b\nO-3,C-1,qualification,2027-01-05,30.00,rep.a\n",
        ),
        teams: file("t.csv", "sales_owner,manager\nrep.a,boss\n"),
      };
      const importing = importCrmFiles(db, files, { bulkLoadMinRows: 1 });
      const observer = await connect();
      const waitingForVersions = async () =>
        (
          await observer.query(
            "SELECT 1 FROM pg_locks WHERE relation = 'opportunity_history'::regclass AND NOT granted",
          )
        ).rowCount! > 0;
      while (!(await waitingForVersions())) await new Promise((resolve) => setTimeout(resolve, 20));

      // Nothing the import holds keeps a SELECT out of the pipeline's tables.
      const blocking = await observer.query(
        "SELECT relation::regclass::text AS relation FROM pg_locks WHERE relation IN ('opportunities'::regclass, 'customers'::regclass) AND granted AND mode = 'AccessExclusiveLock'",
      );
      expect(blocking.rows).toEqual([]);
      const reader = await connect();
      // A safety net, not a measure: were the reader to wait for the import, it would fail here instead of hanging the test.
      await reader.query("SET lock_timeout = '10s'");
      const seen = await reader.query(
        "SELECT opp_id, amount::text FROM opportunities o JOIN customers c USING (customer_id) ORDER BY opp_id",
      );
      expect(seen.rows).toEqual([{ opp_id: "O-1", amount: "10.00" }]);

      await holder.query("COMMIT");
      expect((await importing).entities.opportunities).toMatchObject({ inserted: 2, updated: 1 });
      expect((await reader.query("SELECT count(*)::int AS n FROM opportunities")).rows).toEqual([{ n: 3 }]);
    },
  );
});
