import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { type ImportFiles, type ImportOptions, importCrmFiles } from "./import-crm-files";

const CUSTOMERS = "customer_id,name,churn_risk\nC-1,Acme,low\n";
const BASE = "opp_id,customer_id,stage,close_date,amount,sales_owner";

/** The optional columns of the opportunities and teams files: parsed, validated line by line, and kept when a file lacks them. */
describeEachDatabase("optional import columns", (kind) => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await kind.create();
    dir = mkdtempSync(path.join(tmpdir(), "optional-columns-"));
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
      { timeZone: "America/New_York", ...options },
    );
  const stored = () =>
    db.driver.withConnection((c) =>
      c.query<{
        id: string;
        name: string | null;
        created: string;
        category: string | null;
        probability: number | null;
      }>(
        `SELECT opp_id AS id, name, to_char(created_date, 'YYYY-MM-DD') AS created, forecast_category::text AS category, probability FROM opportunities ORDER BY opp_id`,
      ),
    );
  const versionCount = async () =>
    (
      await db.driver.withConnection((c) =>
        c.query<{ n: number }>(`SELECT count(*)::int AS n FROM opportunity_versions`),
      )
    )[0].n;
  const messages = (report: { problems: { message: string }[] }) => report.problems.map((p) => p.message);

  it("stores name, created date, forecast category (any case) and probability; empty cells are empty", async () => {
    const report = await run({
      customers: CUSTOMERS,
      opportunities: `${BASE},probability,Forecast_Category,name,created_date\nO-1,C-1,proposal,2026-12-01,10,rep.a,075,Best_Case,"Acme, renewal",2026-06-30\nO-2,C-1,proposal,2026-12-01,10,rep.a,,,,2026-07-01\n`,
    });
    expect(report.outcome).toBe("imported");
    expect(report.warnings).toEqual([]);
    expect(await stored()).toEqual([
      { id: "O-1", name: "Acme, renewal", created: "2026-06-30", category: "best_case", probability: 75 },
      { id: "O-2", name: null, created: "2026-07-01", category: null, probability: null },
    ]);
  });

  it("a new deal without a created date was created on the import's effective date; an existing one keeps its own", async () => {
    await run(
      {
        customers: CUSTOMERS,
        opportunities: `${BASE},created_date\nO-1,C-1,proposal,2026-12-01,10,rep.a,2026-05-01\n`,
      },
      { effectiveDate: "2026-08-03" as CalendarDate },
    );
    const absent = await run(
      { opportunities: `${BASE}\nO-1,C-1,proposal,2026-12-01,10,rep.a\nO-2,C-1,proposal,2026-12-01,10,rep.a\n` },
      { effectiveDate: "2026-08-10" as CalendarDate },
    );
    expect(absent.entities.opportunities).toMatchObject({ inserted: 1, updated: 0, unchanged: 1 });
    const empty = await run(
      {
        opportunities: `${BASE},created_date\nO-1,C-1,proposal,2026-12-01,10,rep.a,\nO-3,C-1,proposal,2026-12-01,10,rep.a,\n`,
      },
      { effectiveDate: "2026-08-17" as CalendarDate },
    );
    expect(empty.entities.opportunities).toMatchObject({ inserted: 1, updated: 0, unchanged: 1 });
    // Undated: the date the import runs, in GTM_TIMEZONE (here New York), as the database's clock has it.
    const undated = await run({ opportunities: `${BASE}\nO-4,C-1,proposal,2026-12-01,10,rep.a\n` });
    expect((await stored()).map((row) => [row.id, row.created])).toEqual([
      ["O-1", "2026-05-01"],
      ["O-2", "2026-08-10"],
      ["O-3", "2026-08-17"],
      ["O-4", undated.effective!.date],
    ]);
    expect(undated.effective!.date).toBe(
      new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(undated.effective!.at),
    );
  });

  it("a file without an optional column keeps the stored values and counts the rows unchanged; a file with it may clear them", async () => {
    await run({
      customers: CUSTOMERS,
      opportunities: `${BASE},name,forecast_category,probability\nO-1,C-1,proposal,2026-12-01,10,rep.a,Big deal,commit,90\n`,
    });
    const versions = await versionCount();
    const without = await run({ opportunities: `${BASE}\nO-1,C-1,proposal,2026-12-01,10.00,rep.a\n` });
    expect(without.entities.opportunities).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const withSome = await run(
      { opportunities: `${BASE},probability\nO-1,C-1,proposal,2026-12-01,10,rep.a,90\n` },
      { bulkLoadMinRows: 1 },
    );
    expect(withSome.entities.opportunities).toMatchObject({ updated: 0, unchanged: 1 });
    expect(await versionCount()).toBe(versions);
    expect(await stored()).toMatchObject([{ name: "Big deal", category: "commit", probability: 90 }]);
    const cleared = await run({
      opportunities: `${BASE},name,probability\nO-1,C-1,proposal,2026-12-01,10,rep.a,,50\n`,
    });
    expect(cleared.entities.opportunities).toMatchObject({ updated: 1 });
    expect(await stored()).toMatchObject([{ name: null, category: "commit", probability: 50 }]);
    expect(await versionCount()).toBe(versions + 1);
  });

  it("reports a bad value in each new column on its line, in the existing style", async () => {
    const longName = "n".repeat(501);
    const report = await run({
      customers: CUSTOMERS,
      opportunities:
        `${BASE},name,created_date,forecast_category,probability\n` +
        [
          `O-1,C-1,proposal,2026-12-01,10,rep.a,${longName},2026-01-01,commit,50`,
          "O-2,C-1,proposal,2026-12-01,10,rep.a,Fine,01/31/2026,upside,101",
          "O-3,C-1,proposal,2026-12-01,10,rep.a,Fine,2026-02-30,commit,50%",
          "O-4,C-1,proposal,2026-12-01,10,rep.a,Fine,2026-02-01,pipeline,12.5",
          "O-5,C-1,proposal,2026-12-01,10,rep.a,Fine,2026-02-01,omitted,0.25",
        ].join("\n"),
      teams: `sales_owner,manager,owner_name,manager_name\nrep.a,boss,Ana Silva,${"m".repeat(201)}\n`,
    });
    expect(report.outcome).toBe("rejected");
    expect(messages(report)).toEqual([
      `opportunities.csv line 2, column name: "${"n".repeat(80)}…" is too long: at most 500 characters (found 501)`,
      `opportunities.csv line 3, column created_date: "01/31/2026" is not a calendar date in YYYY-MM-DD form (write it as YYYY-MM-DD: 2026-01-31)`,
      `opportunities.csv line 3, column forecast_category: "upside" is not a forecast category (expected one of pipeline, best_case, commit, omitted)`,
      `opportunities.csv line 3, column probability: "101" is not a probability: use a whole percent from 0 to 100, like 25`,
      `opportunities.csv line 4, column created_date: "2026-02-30" is not a calendar date in YYYY-MM-DD form (2026-02 has no day 30)`,
      `opportunities.csv line 4, column probability: "50%" is not a probability: leave out the % sign: 50`,
      `opportunities.csv line 5, column probability: "12.5" is not a probability: use a whole percent from 0 to 100, like 25`,
      `opportunities.csv line 6, column probability: "0.25" is not a probability: use a whole percent, not a fraction (0.25 is 25)`,
      `teams.csv line 2, column manager_name: "${"m".repeat(80)}…" is too long: at most 200 characters (found 201)`,
    ]);
    expect(await stored()).toEqual([]);
  });

  it("stores the teams' display names, and keeps them when a teams file lacks them", async () => {
    await run({
      teams: "sales_owner,manager,owner_name,manager_name\nrep.a,boss,Ana Silva,Max Boss\nrep.b,boss,,Max Boss\n",
    });
    const again = await run({ teams: "sales_owner,manager\nrep.a,boss\nrep.b,other\n" });
    expect(again.entities.teams).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const teams = await db.driver.withConnection((c) =>
      c.query(`SELECT sales_owner, manager, owner_name, manager_name FROM sales_teams ORDER BY 1`),
    );
    expect(teams).toEqual([
      { sales_owner: "rep.a", manager: "boss", owner_name: "Ana Silva", manager_name: "Max Boss" },
      { sales_owner: "rep.b", manager: "other", owner_name: null, manager_name: "Max Boss" },
    ]);
  });

  it("still warns about columns it does not know", async () => {
    const report = await run({
      customers: CUSTOMERS,
      opportunities: `${BASE},name,region\nO-1,C-1,proposal,2026-12-01,10,rep.a,Deal,EU\n`,
    });
    expect(report.outcome).toBe("imported");
    expect(report.warnings).toEqual([
      'opportunities.csv: ignoring column "region" (not part of the opportunities import)',
    ]);
  });
});
