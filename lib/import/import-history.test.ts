import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { type ImportFiles, type ImportOptions, importCrmFiles } from "./import-crm-files";
import { recentImportRuns } from "./recent-import-runs";

const CUSTOMERS = "customer_id,name,churn_risk\n";
const OPPORTUNITIES = "opp_id,customer_id,stage,close_date,amount,sales_owner\n";
const BERLIN = "Europe/Berlin";
const day = (date: string) => date as CalendarDate;

/** What history an import writes: versions at the start of its day in GTM_TIMEZONE, under its run; nothing when refused or invalid. */
describeEachDatabase("import history", (kind) => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await kind.create();
    dir = mkdtempSync(path.join(tmpdir(), "import-history-"));
  });
  afterEach(() => db?.dispose());

  let fileCount = 0;
  const run = (files: Record<string, string>, options: ImportOptions = {}) =>
    importCrmFiles(
      db,
      Object.fromEntries(
        Object.entries(files).map(([entity, content]) => {
          const target = path.join(dir, String(++fileCount), `${entity}.csv`);
          mkdirSync(path.dirname(target));
          writeFileSync(target, content);
          return [entity, target];
        }),
      ) as ImportFiles,
      { timeZone: BERLIN, source: "history test", ...options },
    );
  const query = <Row>(sql: string) => db.driver.withConnection((c) => c.query<Row>(sql));
  const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')`;
  const versions = () =>
    query<{
      id: string;
      from: string;
      to: string | null;
      stage: string;
      amount: string;
      removed: boolean;
      run: number | null;
    }>(
      `SELECT opp_id AS id, ${utc("valid_from")} AS from, ${utc("valid_to")} AS to, stage::text AS stage, amount::text AS amount, removed, run_id AS run
       FROM opportunity_versions ORDER BY opp_id, valid_from`,
    );
  const churn = () =>
    query<{ id: string; from: string; risk: string }>(
      `SELECT customer_id AS id, ${utc("valid_from")} AS from, churn_risk::text AS risk FROM customer_versions ORDER BY 1, 2`,
    );
  const runs = () =>
    query<{
      id: number;
      effective_at: string;
      effective_date: string | null;
      source: string;
      files: string;
      snapshot: boolean;
      counts: unknown;
    }>(
      `SELECT id, ${utc("effective_at")} AS effective_at, to_char(effective_date, 'YYYY-MM-DD') AS effective_date, source, files, snapshot, counts FROM import_runs ORDER BY id`,
    );
  const current = () =>
    query<{ state: string }>(
      `SELECT coalesce(string_agg(opp_id || '/' || stage || '/' || amount, ',' ORDER BY opp_id), '') AS state FROM opportunities`,
    );
  /** Everything history and the current tables hold, to compare before and after an import that must write nothing. */
  const everything = async () => JSON.stringify([await versions(), await churn(), await runs(), await current()]);

  const customers = CUSTOMERS + "C-1,Acme,low\nC-2,Globex,high\n";
  const week1 =
    OPPORTUNITIES + "O-1,C-1,prospecting,2026-03-31,100.00,rep.a\nO-2,C-2,proposal,2026-02-28,200.00,rep.b\n";

  it("dated imports write each change as a version from the start of its day in GTM_TIMEZONE, under its import run", async () => {
    const first = await run({ customers, opportunities: week1 }, { effectiveDate: day("2026-01-05") });
    expect(first.outcome).toBe("imported");
    expect(first.effective).toEqual({ at: new Date("2026-01-04T23:00:00Z"), date: "2026-01-05", given: "2026-01-05" });
    const second = await run(
      {
        customers: CUSTOMERS + "C-1,Acme,high\nC-2,Globex,high\n",
        opportunities:
          OPPORTUNITIES + "O-1,C-1,qualification,2026-03-31,150,rep.a\nO-2,C-2,proposal,2026-02-28,200,rep.b\n",
      },
      { effectiveDate: day("2026-01-12") },
    );
    expect(second.entities.opportunities).toMatchObject({ inserted: 0, updated: 1, unchanged: 1, removed: 0 });
    expect(await versions()).toEqual([
      {
        id: "O-1",
        from: "2026-01-04 23:00",
        to: "2026-01-11 23:00",
        stage: "prospecting",
        amount: "100.00",
        removed: false,
        run: first.runId,
      },
      {
        id: "O-1",
        from: "2026-01-11 23:00",
        to: null,
        stage: "qualification",
        amount: "150.00",
        removed: false,
        run: second.runId,
      },
      {
        id: "O-2",
        from: "2026-01-04 23:00",
        to: null,
        stage: "proposal",
        amount: "200.00",
        removed: false,
        run: first.runId,
      },
    ]);
    expect(await churn()).toEqual([
      { id: "C-1", from: "2026-01-04 23:00", risk: "low" },
      { id: "C-1", from: "2026-01-11 23:00", risk: "high" },
      { id: "C-2", from: "2026-01-04 23:00", risk: "high" },
    ]);
    const recorded = await runs();
    expect(recorded).toHaveLength(2);
    expect(recorded[1]).toEqual({
      id: second.runId,
      effective_at: "2026-01-11 23:00",
      effective_date: "2026-01-12",
      source: "history test",
      files: `customers: ${second.entities.customers!.file}, opportunities: ${second.entities.opportunities!.file}`,
      snapshot: false,
      counts: {
        customers: { inserted: 0, updated: 1, unchanged: 1, removed: 0 },
        opportunities: { inserted: 0, updated: 1, unchanged: 1, removed: 0 },
      },
    });
    // What the admin page lists: newest first.
    expect(
      (await recentImportRuns(db.prisma)).map((r) => [
        r.id,
        r.effectiveDate,
        r.effectiveAt.toISOString(),
        r.source,
        r.snapshot,
        r.counts.opportunities,
      ]),
    ).toEqual([
      [
        second.runId,
        "2026-01-12",
        "2026-01-11T23:00:00.000Z",
        "history test",
        false,
        { inserted: 0, updated: 1, unchanged: 1, removed: 0 },
      ],
      [
        first.runId,
        "2026-01-05",
        "2026-01-04T23:00:00.000Z",
        "history test",
        false,
        { inserted: 2, updated: 0, unchanged: 0, removed: 0 },
      ],
    ]);
  });

  it("an unchanged re-import, on the same or a later day, adds no version and reports every row unchanged", async () => {
    await run({ customers, opportunities: week1 }, { effectiveDate: day("2026-01-05") });
    const before = await versions();
    for (const date of ["2026-01-05", "2026-01-19"]) {
      const again = await run({ customers, opportunities: week1 }, { effectiveDate: day(date) });
      expect(again.outcome).toBe("imported");
      expect(again.entities.opportunities).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, removed: 0 });
      expect(again.entities.customers).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    }
    expect(await versions()).toEqual(before);
    expect((await runs()).map((r) => r.counts)).toHaveLength(3);
  });

  it("without a date the import takes effect at its own time, and its run has no effective date", async () => {
    const report = await run({ customers, opportunities: week1 });
    const [{ started, effective }] = await query<{ started: string; effective: string }>(
      `SELECT started_at::text AS started, effective_at::text AS effective FROM import_runs`,
    );
    expect(effective).toBe(started);
    expect(report.effective!.given).toBeUndefined();
    expect((await runs())[0].effective_date).toBeNull();
    const [{ same }] = await query<{ same: boolean }>(
      `SELECT bool_and(v.valid_from = r.effective_at) AS same FROM opportunity_versions v JOIN import_runs r ON r.id = v.run_id`,
    );
    expect(same).toBe(true);
  });

  it("refuses an import dated before a later recorded change of a record it touches, writing nothing; the same day is a correction", async () => {
    await run({ customers, opportunities: week1 }, { effectiveDate: day("2026-01-05") });
    await run(
      { opportunities: OPPORTUNITIES + "O-1,C-1,qualification,2026-03-31,150,rep.a\n" },
      { effectiveDate: day("2026-01-12") },
    );
    const before = await everything();

    const late = await run(
      {
        opportunities:
          OPPORTUNITIES + "O-1,C-1,proposal,2026-03-31,999,rep.a\nO-2,C-2,closed_won,2026-02-28,200,rep.b\n",
      },
      { effectiveDate: day("2026-01-08") },
    );
    expect(late.outcome).toBe("refused");
    expect(late.refusal).toBe(
      "refused: 1 opportunity already has changes recorded after 2026-01-08 (latest 2026-01-12); import dated exports oldest first",
    );
    expect(late.runId).toBeUndefined();
    const dryRun = await run(
      { opportunities: OPPORTUNITIES + "O-1,C-1,proposal,2026-03-31,999,rep.a\n" },
      { effectiveDate: day("2026-01-08"), dryRun: true },
    );
    expect(dryRun.outcome).toBe("refused");
    expect(await everything()).toBe(before);

    // Records with nothing recorded after the date may still be backfilled: O-2 and a new O-3.
    const backfill = await run(
      {
        opportunities: OPPORTUNITIES + "O-2,C-2,closed_won,2026-02-28,200,rep.b\nO-3,C-2,proposal,2026-05-01,5,rep.b\n",
      },
      { effectiveDate: day("2026-01-08") },
    );
    expect(backfill.entities.opportunities).toMatchObject({ inserted: 1, updated: 1 });

    // A corrected file for the latest day replaces that day's version.
    const corrected = await run(
      { opportunities: OPPORTUNITIES + "O-1,C-1,qualification,2026-03-31,175,rep.a\n" },
      { effectiveDate: day("2026-01-12") },
    );
    expect(corrected.outcome).toBe("imported");
    expect((await versions()).filter((v) => v.id === "O-1").map((v) => [v.from, v.amount])).toEqual([
      ["2026-01-04 23:00", "100.00"],
      ["2026-01-11 23:00", "175.00"],
    ]);

    // Customers are checked the same way, and both counts are named.
    await run({ customers: CUSTOMERS + "C-1,Acme,medium\nC-2,Globex,high\n" }, { effectiveDate: day("2026-01-19") });
    const both = await run(
      {
        customers: CUSTOMERS + "C-1,Acme,high\n",
        opportunities:
          OPPORTUNITIES +
          "O-1,C-1,proposal,2026-03-31,1,rep.a\nO-2,C-2,proposal,2026-02-28,1,rep.b\nO-3,C-2,proposal,2026-05-01,1,rep.b\n",
      },
      { effectiveDate: day("2026-01-06") },
    );
    expect(both.refusal).toBe(
      "refused: 1 customer and 3 opportunities already have changes recorded after 2026-01-06 (latest 2026-01-19); import dated exports oldest first",
    );
  });

  it("a snapshot removes the opportunities missing from its file at its effective time; without --snapshot they are left alone", async () => {
    const first = await run(
      { customers, opportunities: week1 + "O-3,C-1,proposal,2026-04-30,300,rep.a\n" },
      { effectiveDate: day("2026-01-05") },
    );
    const partial = await run(
      { opportunities: OPPORTUNITIES + "O-1,C-1,prospecting,2026-03-31,100,rep.a\n" },
      { effectiveDate: day("2026-01-12") },
    );
    expect(partial.entities.opportunities).toMatchObject({ unchanged: 1, removed: 0 });
    expect((await current())[0].state).toBe("O-1/prospecting/100.00,O-2/proposal/200.00,O-3/proposal/300.00");

    const preview = await run(
      { opportunities: OPPORTUNITIES + "O-1,C-1,prospecting,2026-03-31,100,rep.a\n" },
      { effectiveDate: day("2026-01-19"), snapshot: true, dryRun: true },
    );
    expect(preview.entities.opportunities).toMatchObject({ unchanged: 1, removed: 2 });
    expect(await runs()).toHaveLength(2);

    // O-3's row is invalid and skipped: it is still in the file, so it stays.
    const snapshot = await run(
      {
        opportunities:
          OPPORTUNITIES + "O-1,C-1,prospecting,2026-03-31,100,rep.a\nO-3,C-1,proposal,2026-04-30,oops,rep.a\n",
      },
      { effectiveDate: day("2026-01-19"), snapshot: true, skipInvalid: true },
    );
    expect(snapshot.entities.opportunities).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 1,
      removed: 1,
      rejected: 1,
    });
    expect((await current())[0].state).toBe("O-1/prospecting/100.00,O-3/proposal/300.00");
    // The version keeps the run that wrote it; the removal is the snapshot run's, at its effective time.
    expect((await versions()).filter((v) => v.id === "O-2")).toEqual([
      {
        id: "O-2",
        from: "2026-01-04 23:00",
        to: "2026-01-18 23:00",
        stage: "proposal",
        amount: "200.00",
        removed: true,
        run: first.runId,
      },
    ]);
    expect((await runs()).at(-1)).toMatchObject({
      snapshot: true,
      counts: { opportunities: { inserted: 0, updated: 0, unchanged: 1, removed: 1 } },
    });

    // A snapshot speaks for the whole pipeline: one dated before O-2's removal is refused although its file lacks O-2.
    const older = await run(
      { opportunities: OPPORTUNITIES + "O-9,C-1,proposal,2026-04-30,1,rep.a\n" },
      { effectiveDate: day("2026-01-15"), snapshot: true },
    );
    expect(older.refusal).toBe(
      "refused: 1 opportunity already has changes recorded after 2026-01-15 (latest 2026-01-19); import dated exports oldest first",
    );

    // Back in a later file: a new version after a gap.
    await run(
      { opportunities: OPPORTUNITIES + "O-2,C-2,proposal,2026-02-28,250,rep.b\n" },
      { effectiveDate: day("2026-02-02") },
    );
    expect((await versions()).filter((v) => v.id === "O-2").map((v) => [v.from, v.to, v.removed])).toEqual([
      ["2026-01-04 23:00", "2026-01-18 23:00", true],
      ["2026-02-01 23:00", null, false],
    ]);
  });

  it("an import with an invalid row, or a dry run, leaves history and import runs untouched", async () => {
    await run({ customers, opportunities: week1 }, { effectiveDate: day("2026-01-05") });
    const before = await everything();
    const invalid = await run(
      {
        customers: CUSTOMERS + "C-1,Acme,high\n",
        opportunities: OPPORTUNITIES + "O-1,C-1,proposal,2026-03-31,1,rep.a\nO-2,C-2,won,2026-02-28,1,rep.b\n",
      },
      { effectiveDate: day("2026-01-12"), snapshot: true },
    );
    expect(invalid.outcome).toBe("rejected");
    const dryRun = await run(
      {
        customers: CUSTOMERS + "C-1,Acme,high\n",
        opportunities: OPPORTUNITIES + "O-1,C-1,proposal,2026-03-31,1,rep.a\n",
      },
      { effectiveDate: day("2026-01-12"), dryRun: true, snapshot: true },
    );
    expect(dryRun.entities.opportunities).toMatchObject({ updated: 1, removed: 1 });
    expect(dryRun.runId).toBeUndefined();
    expect(await everything()).toBe(before);
  });
});
