import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { type ImportFiles, type ImportOptions, importCrmFiles } from "./import-crm-files";

const CUSTOMERS = "customer_id,name,churn_risk\n";
const OPPORTUNITIES = "opp_id,customer_id,stage,close_date,amount,sales_owner\n";

describeEachDatabase("CRM import", (kind) => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await kind.create();
    dir = mkdtempSync(path.join(tmpdir(), "crm-import-"));
  });
  afterEach(() => db?.dispose());

  const file = (name: string, content: string) => {
    const target = path.join(dir, name);
    writeFileSync(target, content);
    return target;
  };
  const run = (files: Record<string, string>, options: ImportOptions = {}) =>
    importCrmFiles(
      db,
      Object.fromEntries(
        Object.entries(files).map(([entity, content]) => [entity, file(`${entity}.csv`, content)]),
      ) as ImportFiles,
      options,
    );
  /** Everything a failed import must leave as it was. */
  const snapshot = async () =>
    (
      await db.driver.withConnection((c) =>
        c.query<{ state: string }>(
          `SELECT concat_ws(' | ',
             (SELECT count(*) || ' customers, ' || coalesce(string_agg(customer_id || '/' || name || '/' || churn_risk, ',' ORDER BY customer_id), '') FROM customers),
             (SELECT count(*) || ' opportunities, sum ' || coalesce(sum(amount), 0) || ', ' || coalesce(string_agg(opp_id || '/' || stage || '/' || close_date || '/' || amount, ',' ORDER BY opp_id), '') FROM opportunities),
             (SELECT count(*) || ' teams' FROM sales_teams)) AS state`,
        ),
      )
    )[0].state;
  const messages = (report: { problems: { message: string }[] }) => report.problems.map((p) => p.message);

  const seedCustomers = CUSTOMERS + 'C-1,Acme,high\nC-2,"Globex, Inc.",low\n';

  it("imports customers, opportunities and teams, and reports what it did", async () => {
    const report = await run({
      customers: seedCustomers,
      opportunities:
        OPPORTUNITIES + "O-1,C-1,Proposal,2026-12-01,1234.50,rep.a\nO-2,C-2,closed_won,2026-10-01,99,rep.b\n",
      teams: "sales_owner,manager\nrep.a,boss\nrep.b,boss\n",
    });
    expect(report.outcome).toBe("imported");
    expect(report.problemCount).toBe(0);
    expect(report.entities.customers).toMatchObject({ rows: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0 });
    expect(report.entities.opportunities).toMatchObject({
      rows: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });
    expect(report.entities.teams).toMatchObject({ rows: 2, inserted: 2 });
    expect(await snapshot()).toBe(
      "2 customers, C-1/Acme/high,C-2/Globex, Inc./low | 2 opportunities, sum 1333.50, O-1/proposal/2026-12-01/1234.50,O-2/closed_won/2026-10-01/99.00 | 2 teams",
    );
  });

  it("a bulk load imports the same rows, records their history, and leaves every index, constraint, trigger, view and grant in place", async () => {
    const schema = () =>
      db.driver.withConnection((c) =>
        c.query<{ def: string }>(
          `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid IN ('opportunities'::regclass, 'customers'::regclass)
           UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid IN ('opportunities'::regclass, 'customers'::regclass)
           UNION ALL SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid IN ('opportunities'::regclass, 'customers'::regclass) AND NOT tgisinternal
           UNION ALL SELECT 'versions ' || count(*) FROM opportunity_versions
           UNION ALL SELECT 'grants ' || array_to_string(relacl, ' ') FROM pg_class WHERE oid = 'opportunities'::regclass
           UNION ALL SELECT 'view ' || pg_get_viewdef('opportunity_versions'::regclass)
           UNION ALL SELECT 'view grants ' || array_to_string(relacl, ' ') FROM pg_class WHERE oid = 'opportunity_versions'::regclass
           ORDER BY 1`,
        ),
      );
    const definitions = async () => (await schema()).map((row) => row.def);
    await db.driver.withConnection((c) => c.query("GRANT SELECT ON opportunities, opportunity_versions TO PUBLIC"));
    const before = (await definitions()).map((def) => def.replace(/^versions 0$/, "versions 2"));
    const report = await run(
      {
        customers: seedCustomers,
        opportunities:
          OPPORTUNITIES + "O-1,C-1,proposal,2026-12-01,1234.50,rep.a\nO-2,C-2,closed_won,2026-10-01,99,rep.b\n",
      },
      { bulkLoadMinRows: 1 },
    );
    expect(report.entities.opportunities).toMatchObject({ inserted: 2, updated: 0 });
    expect(await definitions()).toEqual(before);
    expect(await snapshot()).toContain("2 opportunities, sum 1333.50");
    // The foreign key still holds: an opportunity of an unknown customer is refused by the database.
    await expect(
      db.driver.withConnection((c) =>
        c.query(`INSERT INTO opportunities VALUES ('O-9', 'C-404', 'proposal', '2026-12-01', 1, 'rep.a')`),
      ),
    ).rejects.toThrow(/foreign key/);
    // A second, smaller import into the now larger table takes the ordinary path and updates in place.
    const again = await run(
      { opportunities: OPPORTUNITIES + "O-1,C-1,proposal,2026-12-01,1.00,rep.a\n" },
      { bulkLoadMinRows: 1 },
    );
    expect(again.entities.opportunities).toMatchObject({ inserted: 0, updated: 1 });
  });

  it("a bulk load into a table that already holds some of its rows counts and writes inserts, updates and unchanged rows exactly", async () => {
    await run({
      customers: seedCustomers,
      opportunities:
        OPPORTUNITIES + "O-1,C-1,proposal,2026-12-01,10.00,rep.a\nO-2,C-1,proposal,2026-12-01,20.00,rep.a\n",
    });
    const report = await run(
      {
        opportunities:
          OPPORTUNITIES +
          "O-1,C-1,proposal,2026-12-01,10,rep.a\nO-2,C-2,closed_won,2026-12-01,21.50,rep.b\nO-3,C-2,proposal,2027-01-31,30,rep.a\nO-4,C-1,qualification,2027-02-01,40,rep.b\n",
      },
      { bulkLoadMinRows: 1 },
    );
    expect(report.entities.opportunities).toMatchObject({ rows: 4, inserted: 2, updated: 1, unchanged: 1 });
    expect(await snapshot()).toContain(
      "4 opportunities, sum 101.50, O-1/proposal/2026-12-01/10.00,O-2/closed_won/2026-12-01/21.50,O-3/proposal/2027-01-31/30.00,O-4/qualification/2027-02-01/40.00",
    );
  });

  it("stores values with backslashes, tabs, line breaks, quotes and any script exactly, and still reports a later bad row on its own line", async () => {
    const names = [
      "Back\\slash \\N \\.",
      "Tab\there",
      "Two\nlines",
      "CR\rLF\r\nend",
      'Quote " comma, semicolon;',
      "Zoë 東京 🎉 \u00a0nbsp",
    ];
    const csv = (value: string) => `"${value.replace(/"/g, '""')}"`;
    const customers = CUSTOMERS + names.map((name, i) => `C-${i},${csv(name)},low`).join("\n") + "\n";
    const opportunities =
      OPPORTUNITIES +
      names.map((name, i) => `O-${i},C-${i},proposal,2026-12-01,1,${csv(name.slice(0, 64))}`).join("\n") +
      "\nO-9,C-1,proposal,2026-12-01,oops,rep.a\n";
    const rejected = await run({ customers, opportunities });
    // The quoted values hold three line breaks (LF, a lone CR, CRLF), so the bad row is on line 2 + 6 + 3 = 11.
    expect(messages(rejected)).toEqual([
      'opportunities.csv line 11, column amount: "oops" is not a valid amount: use a plain non-negative decimal with at most two places, like 1234.50',
    ]);
    const report = await run({ customers, opportunities: opportunities.replace(",oops,", ",2,") });
    expect(report.outcome).toBe("imported");
    const stored = await db.driver.withConnection((c) =>
      c.query<{ name: string; sales_owner: string }>(
        "SELECT c.name, o.sales_owner FROM customers c JOIN opportunities o USING (customer_id) WHERE o.opp_id <> 'O-9' ORDER BY c.customer_id",
      ),
    );
    // Trimmed like every value ("CR\rLF\r\nend" has no outer whitespace; the nbsp is inside), otherwise byte for byte.
    expect(stored.map((row) => row.name)).toEqual(names);
    expect(stored.map((row) => row.sales_owner)).toEqual(names);
  });

  it("re-importing the same files changes nothing; changing one amount updates one row", async () => {
    const opportunities =
      OPPORTUNITIES + "O-1,C-1,proposal,2026-12-01,100.00,rep.a\nO-2,C-1,proposal,2026-12-01,200,rep.a\n";
    await run({ customers: seedCustomers, opportunities });
    const again = await run({ customers: seedCustomers, opportunities });
    expect(again.entities.customers).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(again.entities.opportunities).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    // 200 and 200.00 are the same amount: unchanged. 100.00 -> 100.01 is an update.
    const changed = await run({
      opportunities:
        OPPORTUNITIES + "O-1,C-1,proposal,2026-12-01,100.01,rep.a\nO-2,C-1,proposal,2026-12-01,200.00,rep.a\n",
    });
    expect(changed.entities.opportunities).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect(await snapshot()).toContain("sum 300.01");
  });

  it("all-or-nothing: one invalid row and the database is left exactly as it was", async () => {
    await run({
      customers: seedCustomers,
      opportunities: OPPORTUNITIES + "O-1,C-1,proposal,2026-12-01,100.00,rep.a\n",
    });
    const before = await snapshot();
    const report = await run({
      customers: seedCustomers + "C-3,New Co,medium\n",
      opportunities:
        OPPORTUNITIES +
        'O-1,C-1,proposal,2026-12-01,555.00,rep.a\nO-2,C-3,proposal,2026-12-01,5,rep.a\nO-3,C-1,proposal,2026-12-01,"1,234.50",rep.a\n',
      teams: "sales_owner,manager\nrep.a,boss\n",
    });
    expect(report.outcome).toBe("rejected");
    expect(messages(report)).toEqual([
      'opportunities.csv line 4, column amount: "1,234.50" is not a valid amount: use a plain decimal without thousands separators, like 1234.50',
    ]);
    expect(report.entities.opportunities).toMatchObject({ rows: 3, inserted: 0, updated: 0, rejected: 1 });
    expect(await snapshot()).toBe(before);
  });

  it("reports each rule with file, line, column, value and reason; line numbers count quoted multi-line fields", async () => {
    const report = await run({
      customers:
        CUSTOMERS +
        'C-1,"Acme\r\nHoldings",high\r\nC-2,,severe\r\n' +
        `${"x".repeat(65)},Long,low\r\nC-1,Again,low\r\n`,
      opportunities:
        OPPORTUNITIES +
        [
          'O-1,C-1,proposal,2026-12-01,10,"rep\nwith\nnewlines"',
          "O-2,C-1,Won,3/1/2017,$12,rep.a",
          "O-3,C-404,proposal,2026-12-01,10,rep.a",
          "O-1,C-1,proposal,2026-02-30,-1,rep.a",
          "O-5,C-1,proposal,2026-12-01,10",
          "O-6,C-2,proposal,2026-12-01,10,rep.a",
        ].join("\n"),
    });
    expect(report.outcome).toBe("rejected");
    expect(messages(report)).toEqual([
      "customers.csv line 4, column name: a value is required",
      'customers.csv line 4, column churn_risk: "severe" is not a churn risk (expected low, medium or high)',
      `customers.csv line 5, column customer_id: "${"x".repeat(65)}" is too long: at most 64 characters (found 65)`,
      'customers.csv line 6, column customer_id: "C-1" appears more than once in this file (first on line 2)',
      'opportunities.csv line 5, column stage: "Won" is not a sales stage (expected one of prospecting, qualification, proposal, closed_won, closed_lost)',
      'opportunities.csv line 5, column close_date: "3/1/2017" is not a calendar date in YYYY-MM-DD form (ambiguous: it could be 2017-03-01 or 2017-01-03; write it as YYYY-MM-DD)',
      'opportunities.csv line 5, column amount: "$12" is not a valid amount: leave out the currency, like 12',
      'opportunities.csv line 6, column customer_id: customer "C-404" is neither in the database nor among the valid rows of customers.csv',
      'opportunities.csv line 7, column opp_id: "O-1" appears more than once in this file (first on line 2)',
      'opportunities.csv line 7, column close_date: "2026-02-30" is not a calendar date in YYYY-MM-DD form (2026-02 has no day 30)',
      'opportunities.csv line 7, column amount: "-1" is not a valid amount: amounts cannot be negative',
      "opportunities.csv line 8: expected 6 fields as in the header, found 5",
      'opportunities.csv line 9, column customer_id: customer "C-2" is neither in the database nor among the valid rows of customers.csv',
    ]);
    expect(report.problemCount).toBe(13);
    expect(report.entities.customers).toMatchObject({ rows: 4, rejected: 3 });
    expect(report.entities.opportunities).toMatchObject({ rows: 6, rejected: 5 });
    expect(await snapshot()).toBe("0 customers,  | 0 opportunities, sum 0,  | 0 teams");
  });

  it("an opportunity's customer may already be in the database", async () => {
    await run({ customers: seedCustomers });
    const report = await run({
      opportunities: OPPORTUNITIES + "O-1,C-2,proposal,2026-12-01,10,rep.a\nO-2,C-9,proposal,2026-12-01,10,rep.a\n",
    });
    expect(messages(report)).toEqual([
      'opportunities.csv line 3, column customer_id: customer "C-9" is not in the database; import it first, or together with --customers',
    ]);
  });

  it("lists the first problems and counts them all", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `O-${i},C-1,proposal,2026-12-01,bad,rep.a`).join("\n");
    const report = await run({ customers: seedCustomers, opportunities: OPPORTUNITIES + rows });
    expect(report.problemCount).toBe(120);
    expect(report.problems).toHaveLength(50);
    expect(report.problems[49].line).toBe(51);
  });

  it("checks the header before any row: a missing column is an error, an extra one a warning", async () => {
    const missing = await run({
      opportunities: "opp_id,customer,stage,close_date,amount,sales_owner\nO-1,C-1,proposal,2026-12-01,10,rep.a\n",
    });
    expect(messages(missing)).toEqual([
      "opportunities.csv line 1: missing required column customer_id in the header (found opp_id,customer,stage,close_date,amount,sales_owner); the opportunities file must start with the header opp_id,customer_id,stage,close_date,amount,sales_owner",
    ]);
    expect(missing.fileProblem).toBe(true);
    const extra = await run({ customers: "Customer_ID,name,churn_risk,region\nC-1,Acme,high,EU\n" });
    expect(extra.outcome).toBe("imported");
    expect(extra.warnings).toEqual(['customers.csv: ignoring column "region" (not part of the customers import)']);
    const empty = await run({ customers: "" });
    expect(messages(empty)).toEqual([
      "customers.csv: the file is empty; the first line must be the header customer_id,name,churn_risk",
    ]);
  });

  it("reports broken quoting with its line, writes nothing, even with --skip-invalid", async () => {
    const report = await run(
      { customers: CUSTOMERS + 'C-1,Acme,high\nC-2,"Globex,low\nC-3,Initech,low\n' },
      { skipInvalid: true },
    );
    expect(report.outcome).toBe("rejected");
    expect(messages(report)).toEqual([
      'customers.csv line 3: a quoted field starts on this line and is never closed (a missing closing "); the rest of the file was not read',
    ]);
    expect(await snapshot()).toBe("0 customers,  | 0 opportunities, sum 0,  | 0 teams");
  });

  it("rejects bytes that are not UTF-8 with a hint", async () => {
    const target = path.join(dir, "latin1.csv");
    writeFileSync(
      target,
      Buffer.concat([Buffer.from(CUSTOMERS + "C-1,Caf"), Buffer.from([0xe9]), Buffer.from(",low\n")]),
    );
    const report = await importCrmFiles(db, { customers: target });
    expect(messages(report)).toEqual([
      'latin1.csv line 2, column name: "Caf�" contains bytes that are not UTF-8 (shown as �); save the file as UTF-8',
    ]);
  });

  it("--skip-invalid imports the valid rows and writes the others, as they were, to <file>.rejects.csv", async () => {
    const report = await run(
      {
        customers: seedCustomers,
        opportunities:
          "opp_id,customer_id,stage,close_date,amount,sales_owner,note\r\n" +
          'O-1,C-1,proposal,2026-12-01,10,rep.a,fine\r\nO-2,C-1,proposal,2026-12-01,"1,000",rep.a,"has, comma"\r\nO-3,C-9,proposal,2026-12-01,10,rep.a,"two\r\nlines"\r\nO-1,C-1,proposal,2026-12-01,10,rep.a,dup\r\n',
      },
      { skipInvalid: true },
    );
    expect(report.outcome).toBe("imported");
    expect(report.entities.opportunities).toMatchObject({
      rows: 4,
      inserted: 1,
      updated: 0,
      unchanged: 0,
      rejected: 3,
    });
    const rejects = path.join(dir, "opportunities.csv.rejects.csv");
    expect(report.entities.opportunities!.rejectsFile).toBe(rejects);
    expect(readFileSync(rejects, "utf8")).toBe(
      "opp_id,customer_id,stage,close_date,amount,sales_owner,note,reason\r\n" +
        'O-2,C-1,proposal,2026-12-01,"1,000",rep.a,"has, comma","line 3, column amount: ""1,000"" is not a valid amount: use a plain decimal without thousands separators, like 1000"\r\n' +
        'O-3,C-9,proposal,2026-12-01,10,rep.a,"two\r\nlines","line 4, column customer_id: customer ""C-9"" is neither in the database nor among the valid rows of customers.csv"\r\n' +
        'O-1,C-1,proposal,2026-12-01,10,rep.a,dup,"line 6, column opp_id: ""O-1"" appears more than once in this file (first on line 2)"\r\n',
    );
    expect(await snapshot()).toContain("1 opportunities, sum 10.00");
  });

  it("--dry-run writes nothing and predicts what a real run does", async () => {
    await run({
      customers: seedCustomers,
      opportunities: OPPORTUNITIES + "O-1,C-1,proposal,2026-12-01,10,rep.a\nO-2,C-1,proposal,2026-12-01,20,rep.a\n",
    });
    const before = await snapshot();
    const files = {
      customers: seedCustomers + "C-3,New,low\n",
      opportunities:
        OPPORTUNITIES +
        "O-1,C-1,proposal,2026-12-01,10,rep.a\nO-2,C-1,qualification,2026-12-01,20,rep.a\nO-3,C-3,proposal,2026-12-01,30,rep.a\nO-4,C-3,proposal,2026-12-01,bad,rep.a\n",
    };
    const dry = await run(files, { dryRun: true, skipInvalid: true });
    expect(dry.outcome).toBe("dry-run");
    expect(await snapshot()).toBe(before);
    expect(existsSync(path.join(dir, "opportunities.csv.rejects.csv"))).toBe(false);
    const real = await run(files, { skipInvalid: true });
    expect(dry.entities).toEqual(
      real.entities.opportunities
        ? { ...real.entities, opportunities: { ...real.entities.opportunities, rejectsFile: undefined } }
        : real.entities,
    );
    expect(real.entities.opportunities).toMatchObject({ inserted: 1, updated: 1, unchanged: 1, rejected: 1 });
    expect(real.entities.customers).toMatchObject({ inserted: 1, updated: 0, unchanged: 2 });
  });
});
