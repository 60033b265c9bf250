import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";

/**
 * The database's own guarantees about history (migrations 20261201020000_history,
 * 20261202040000_current_version_in_place and 20261202060000_history_partitions): whatever
 * writes the current tables, the versions are recorded in the same transaction, unchanged rows
 * write nothing, and no write can make one record's versions overlap.
 */
describeEachDatabase("history recording", (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await kind.create();
  });
  afterEach(() => db?.dispose());

  const at = (instant: string) => `SELECT set_config('pipeline.effective_at', '${instant}', true)`;
  const versions = async (oppId: string) =>
    await query<{ valid_from: string; valid_to: string | null; stage: string; amount: string; removed: boolean }>(
      `SELECT to_char(valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS valid_from, to_char(valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS valid_to,
                stage::text AS stage, amount::text AS amount, removed
         FROM opportunity_versions WHERE opp_id = $1 ORDER BY valid_from`,
      [oppId],
    );

  const query = <Row>(sql: string, params?: unknown[]) =>
    db.driver.withConnection((connection) => connection.query<Row>(sql, params));
  const write = (instant: string, ...statements: string[]) =>
    db.driver.withConnection((connection) =>
      connection.transaction(async (tx) => {
        await tx.query(at(instant));
        for (const statement of statements) await tx.query(statement);
      }),
    );

  const customer = `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'low')`;
  const opportunity = (id: string, amount = "100.00") =>
    `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner) VALUES ('${id}', 'C1', 'prospecting', '2026-12-31', ${amount}, 'rep.a')`;

  it("keeps every state with when it became and stopped being true; unchanged rows write nothing", async () => {
    await write("2026-01-05 00:00Z", customer, opportunity("O1"));
    await write("2026-01-12 00:00Z", `UPDATE opportunities SET stage = 'proposal', amount = 150 WHERE opp_id = 'O1'`);
    await write(
      "2026-01-19 00:00Z",
      `UPDATE opportunities SET amount = amount WHERE opp_id = 'O1'`,
      `UPDATE customers SET churn_risk = 'high'`,
    );
    await write("2026-01-26 00:00Z", `DELETE FROM opportunities WHERE opp_id = 'O1'`);
    expect(await versions("O1")).toEqual([
      {
        valid_from: "2026-01-05 00:00",
        valid_to: "2026-01-12 00:00",
        stage: "prospecting",
        amount: "100.00",
        removed: false,
      },
      {
        valid_from: "2026-01-12 00:00",
        valid_to: "2026-01-26 00:00",
        stage: "proposal",
        amount: "150.00",
        removed: true,
      },
    ]);
    const churn = await query<{ churn_risk: string; valid_to: string | null }>(
      `SELECT churn_risk::text AS churn_risk, to_char(valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS valid_to FROM customer_versions ORDER BY valid_from`,
    );
    expect(churn).toEqual([
      { churn_risk: "low", valid_to: "2026-01-19" },
      { churn_risk: "high", valid_to: null },
    ]);
  });

  it("lets a corrected file for the same day replace that day's version, and refuses a change dated before the latest", async () => {
    await write("2026-01-05 00:00Z", customer, opportunity("O1"));
    await write("2026-01-12 00:00Z", `UPDATE opportunities SET amount = 200 WHERE opp_id = 'O1'`);
    await write("2026-01-12 00:00Z", `UPDATE opportunities SET amount = 250 WHERE opp_id = 'O1'`);
    expect((await versions("O1")).map((v) => [v.valid_from, v.amount])).toEqual([
      ["2026-01-05 00:00", "100.00"],
      ["2026-01-12 00:00", "250.00"],
    ]);
    await expect(
      write("2026-01-08 00:00Z", `UPDATE opportunities SET amount = 300 WHERE opp_id = 'O1'`),
    ).rejects.toThrow();
    expect((await versions("O1")).map((v) => v.amount)).toEqual(["100.00", "250.00"]);
    const current = await query<{ amount: string }>(`SELECT amount::text AS amount FROM opportunities`);
    expect(current).toEqual([{ amount: "250.00" }]);
  });

  it("records nothing for a write that fails, and a record removed and added back has a gap", async () => {
    await write("2026-01-05 00:00Z", customer, opportunity("O1"));
    await expect(
      write("2026-01-12 00:00Z", `UPDATE opportunities SET amount = 1 WHERE opp_id = 'O1'`, `SELECT 1/0`),
    ).rejects.toThrow();
    await write("2026-01-19 00:00Z", `DELETE FROM opportunities WHERE opp_id = 'O1'`);
    await write("2026-02-02 00:00Z", opportunity("O1", "70.00"));
    expect((await versions("O1")).map((v) => [v.valid_from, v.valid_to, v.amount, v.removed])).toEqual([
      ["2026-01-05 00:00", "2026-01-19 00:00", "100.00", true],
      ["2026-02-02 00:00", null, "70.00", false],
    ]);
  });

  it("refuses a change dated before a recorded one, on every write path, and writes nothing", async () => {
    await write("2026-01-12 00:00Z", customer, opportunity("O1"));
    // An update dated before the current version would open a second current one.
    await expect(write("2026-01-05 00:00Z", `UPDATE opportunities SET amount = 1 WHERE opp_id = 'O1'`)).rejects.toThrow(
      /overlap|exclusion|conflicting key|duplicate key/i,
    );
    // A deal added back over the time it was recorded before its removal.
    await write("2026-01-19 00:00Z", `DELETE FROM opportunities WHERE opp_id = 'O1'`);
    await expect(write("2026-01-15 00:00Z", opportunity("O1", "70.00"))).rejects.toThrow(/overlap|exclusion/i);
    // A customer's change dated before its current version.
    await expect(write("2026-01-01 00:00Z", `UPDATE customers SET churn_risk = 'high'`)).rejects.toThrow(
      /overlap|exclusion|conflicting key|duplicate key/i,
    );
    expect((await versions("O1")).map((v) => [v.valid_from, v.valid_to, v.amount, v.removed])).toEqual([
      ["2026-01-12 00:00", "2026-01-19 00:00", "100.00", true],
    ]);
  });

  it("keeps each ended version in the partition of the UTC month it ended in, made by the write that first needs it", async () => {
    await write("2026-01-05 00:00Z", customer, opportunity("O1"), opportunity("O2"));
    // 23:30 on 31 January in Los Angeles is 1 February in UTC.
    await write(
      "2026-01-31 23:30-08",
      `SET LOCAL TimeZone = 'America/Los_Angeles'`,
      `UPDATE opportunities SET amount = 5 WHERE opp_id = 'O1'`,
    );
    await write(
      "2026-03-02 00:00Z",
      `UPDATE opportunities SET amount = 7`,
      `DELETE FROM opportunities WHERE opp_id = 'O2'`,
    );
    const partitions = await query<{ partition: string; valid_to: string; opp_id: string }>(
      `SELECT tableoid::regclass::text AS partition, to_char(valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS valid_to, opp_id
         FROM opportunity_history ORDER BY valid_to, opp_id`,
    );
    expect(partitions).toEqual([
      { partition: "opportunity_history_2026_02", valid_to: "2026-02-01 07:30", opp_id: "O1" },
      { partition: "opportunity_history_2026_03", valid_to: "2026-03-02 00:00", opp_id: "O1" },
      { partition: "opportunity_history_2026_03", valid_to: "2026-03-02 00:00", opp_id: "O2" },
    ]);
  });

  it("refuses history written other than by the triggers (so no version can overlap another)", async () => {
    await write("2026-01-05 00:00Z", customer, opportunity("O1"));
    const values = `('O1', '2026-01-01Z', '2026-01-10Z', 'C1', 'prospecting', '2026-12-31', 1, 'rep.a', '2026-01-01')`;
    const columns = "(opp_id, valid_from, valid_to, customer_id, stage, close_date, amount, sales_owner, created_date)";
    await expect(query(`INSERT INTO opportunity_history ${columns} VALUES ${values}`)).rejects.toThrow(
      /written by the triggers/i,
    );
    await expect(query(`INSERT INTO opportunity_versions ${columns} VALUES ${values}`)).rejects.toThrow(/view/i);
    await write("2026-01-12 00:00Z", `UPDATE opportunities SET amount = 5 WHERE opp_id = 'O1'`);
    await expect(query(`UPDATE opportunity_history SET valid_to = '2026-01-20Z'`)).rejects.toThrow(
      /written by the triggers/i,
    );
    // Nor through the month's partition, which a statement can name directly.
    await expect(query(`DELETE FROM opportunity_history_2026_01`)).rejects.toThrow(/written by the triggers/i);
    await expect(query(`INSERT INTO opportunity_history_2026_01 ${columns} VALUES ${values}`)).rejects.toThrow(
      /written by the triggers/i,
    );
    expect((await versions("O1")).map((v) => [v.valid_from, v.valid_to, v.amount])).toEqual([
      ["2026-01-05 00:00", "2026-01-12 00:00", "100.00"],
      ["2026-01-12 00:00", null, "5.00"],
    ]);
  });
});
