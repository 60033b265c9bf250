import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { formatQuotaImportReport } from "./format-quota-import-report";
import { importQuotas } from "./import-quotas";

const HEADER = "sales_owner,period,amount\n";

describeEachDatabase("quota import", (kind) => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await kind.create();
    dir = mkdtempSync(path.join(tmpdir(), "quota-import-"));
  });
  afterEach(() => db?.dispose());

  const run = (content: string, options: { dryRun?: boolean } = {}) => {
    const file = path.join(dir, "quotas.csv");
    writeFileSync(file, content);
    return importQuotas(db, file, options);
  };
  const quotas = async () =>
    (await db.prisma.quota.findMany({ orderBy: [{ salesOwner: "asc" }, { period: "asc" }] })).map(
      (q) => `${q.salesOwner} ${q.period} ${q.amount.toFixed(2)}`,
    );
  const messages = (report: { problems: { message: string }[] }) => report.problems.map((p) => p.message);

  /** A quota already in the database, which a rejected file must leave as it is. */
  const existing = async () => {
    expect((await run(HEADER + "ana,2026-Q1,100\n")).outcome).toBe("imported");
    return quotas();
  };

  it("imports quotas by owner and period, and a second import of the same file changes nothing", async () => {
    const file = HEADER + "ana,2026-Q1,1000.50\nana,2026-q2,2000\nben,2026-01,300\n";
    const first = await run(file);
    expect(first).toMatchObject({
      outcome: "imported",
      rows: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      problemCount: 0,
    });
    expect(await quotas()).toEqual(["ana 2026-Q1 1000.50", "ana 2026-Q2 2000.00", "ben 2026-01 300.00"]);
    expect(await run(file)).toMatchObject({ outcome: "imported", inserted: 0, updated: 0, unchanged: 3 });
    const changed = await run("amount,sales_owner,period\n1200,ana,2026-Q1\n");
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await quotas()).toEqual(["ana 2026-Q1 1200.00", "ana 2026-Q2 2000.00", "ben 2026-01 300.00"]);
    expect(formatQuotaImportReport(changed)).toMatch(
      /quotas \(.*quotas\.csv\): 1 rows; inserted 0, updated 1, unchanged 0/,
    );
  });

  it("a dry run counts what would change and writes nothing", async () => {
    const before = await existing();
    const report = await run(HEADER + "ana,2026-Q1,150\nben,2026-Q1,10\n", { dryRun: true });
    expect(report).toMatchObject({ outcome: "dry-run", inserted: 1, updated: 1, unchanged: 0 });
    expect(await quotas()).toEqual(before);
  });

  it("rejects a bad period with its line and what to write instead, and writes nothing", async () => {
    const before = await existing();
    const report = await run(HEADER + "ana,2026-Q2,10\nben,2026-Q5,10\ncara,Q1 2026,10\ndev,2026-13,10\n");
    expect(report.outcome).toBe("rejected");
    expect(messages(report)).toEqual([
      'quotas.csv line 3, column period: "2026-Q5" is not a period: use YYYY-MM for a month or YYYY-Qn for a quarter, like 2026-05 or 2026-Q2',
      'quotas.csv line 4, column period: "Q1 2026" is not a period: use YYYY-MM for a month or YYYY-Qn for a quarter, like 2026-05 or 2026-Q2',
      'quotas.csv line 5, column period: "2026-13" is not a period: use YYYY-MM for a month or YYYY-Qn for a quarter, like 2026-05 or 2026-Q2',
    ]);
    expect(formatQuotaImportReport(report)).toMatch(/3 problems:[\s\S]*Nothing was imported/);
    expect(await quotas()).toEqual(before);
  });

  it("rejects a negative or malformed amount, and a missing value", async () => {
    const before = await existing();
    const report = await run(HEADER + 'ana,2026-Q2,-500\nben,2026-Q2,"1,000.00"\n,2026-Q2,5\n');
    expect(messages(report)).toEqual([
      'quotas.csv line 2, column amount: "-500" is not a valid amount: amounts cannot be negative',
      'quotas.csv line 3, column amount: "1,000.00" is not a valid amount: use a plain decimal without thousands separators, like 1000.00',
      "quotas.csv line 4, column sales_owner: a value is required",
    ]);
    expect(await quotas()).toEqual(before);
  });

  it("rejects an unknown column, a missing one and a repeated one in the header", async () => {
    const before = await existing();
    expect(messages(await run("sales_owner,period,amount,region\nana,2026-Q2,5,emea\n"))).toEqual([
      'quotas.csv line 1: unknown column "region" in the header; the quotas file has exactly the columns sales_owner,period,amount',
    ]);
    expect(messages(await run("owner,period,amount\nana,2026-Q2,5\n"))).toEqual([
      'quotas.csv line 1: unknown column "owner" in the header; the quotas file has exactly the columns sales_owner,period,amount',
      "quotas.csv line 1: missing required column sales_owner in the header; the quotas file has exactly the columns sales_owner,period,amount",
    ]);
    expect(messages(await run("sales_owner,period,amount,amount\nana,2026-Q2,5,6\n"))).toEqual([
      "quotas.csv line 1: column amount appears more than once in the header",
    ]);
    expect(messages(await run(""))).toEqual([
      "quotas.csv: the file is empty; the first line must be the header sales_owner,period,amount",
    ]);
    expect(await quotas()).toEqual(before);
  });

  it("rejects a second row for the same owner and period, however the period is written", async () => {
    const before = await existing();
    const report = await run(HEADER + "ana,2026-Q2,5\nben,2026-Q2,5\nana,2026-q2,6\n");
    expect(report.outcome).toBe("rejected");
    expect(messages(report)).toEqual([
      'quotas.csv line 4: sales_owner "ana" already has a quota for 2026-Q2 on line 2; keep one row per sales owner and period',
    ]);
    expect(await quotas()).toEqual(before);
  });

  it("rejects rows with the wrong number of fields and broken quoting", async () => {
    const before = await existing();
    expect(messages(await run(HEADER + "ana,2026-Q2,5,extra\n"))).toEqual([
      "quotas.csv line 2: expected 3 fields as in the header, found 4 (a value that contains a comma must be in double quotes)",
    ]);
    expect(messages(await run(HEADER + 'ana,2026-Q2,5\n"ben,2026-Q2,5\n'))).toEqual([
      'quotas.csv line 3: a quoted field starts on this line and is never closed (a missing closing "); the rest of the file was not read',
    ]);
    expect(await quotas()).toEqual(before);
  });
});
