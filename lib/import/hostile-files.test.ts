import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { type ImportFiles, importCrmFiles } from "./import-crm-files";
import type { ImportReport } from "./import-report";

/**
 * Files an import must refuse without writing anything: truncated, in another
 * encoding, binary, absurdly large, or carrying formulas where values are typed.
 * Every case: outcome "rejected" (or a thrown error with a clear message), a
 * message that says what to fix, and the database exactly as it was.
 */
const CUSTOMERS = "customer_id,name,churn_risk\n";
const OPPORTUNITIES = "opp_id,customer_id,stage,close_date,amount,sales_owner\n";
const GOOD_CUSTOMERS = `${CUSTOMERS}C-1,Acme,high\nC-2,"Globex, Inc.",low\nC-3,Initech,medium\n`;
const GOOD_OPPORTUNITIES = `${OPPORTUNITIES}O-1,C-1,proposal,2026-12-01,1234.50,rep.a\nO-2,C-2,closed_won,2026-10-01,99.00,rep.b\nO-3,C-3,qualification,2027-01-15,5000,rep.a\n`;

describeEachDatabase("hostile import files", (kind) => {
  let db: TestDatabase;
  let dir: string;
  let before: string;
  beforeAll(async () => {
    db = await kind.create();
    dir = mkdtempSync(path.join(tmpdir(), "hostile-import-"));
    const seeded = await run({ customers: GOOD_CUSTOMERS, opportunities: GOOD_OPPORTUNITIES });
    expect(seeded.outcome).toBe("imported");
    before = await snapshot();
    expect(before).toContain("3 customers");
    expect(before).toContain("3 opportunities, sum 6333.50");
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // Each case starts from, and must leave, the seeded state.
    expect(await snapshot()).toBe(before);
  });

  let fileCount = 0;
  const file = (content: string | Buffer) => {
    const target = path.join(dir, `file-${++fileCount}.csv`);
    writeFileSync(target, content);
    return target;
  };
  function run(files: Partial<Record<"customers" | "opportunities", string | Buffer>>): Promise<ImportReport> {
    return importCrmFiles(
      db,
      Object.fromEntries(Object.entries(files).map(([entity, content]) => [entity, file(content!)])) as ImportFiles,
    );
  }
  async function snapshot(): Promise<string> {
    const [row] = await db.driver.withConnection((c) =>
      c.query<{ state: string }>(
        `SELECT concat_ws(' | ',
           (SELECT count(*) || ' customers, ' || coalesce(string_agg(customer_id || '/' || name || '/' || churn_risk, ',' ORDER BY customer_id), '') FROM customers),
           (SELECT count(*) || ' opportunities, sum ' || coalesce(sum(amount), 0) || ', ' || coalesce(string_agg(opp_id || '/' || stage || '/' || close_date || '/' || amount || '/' || sales_owner, ',' ORDER BY opp_id), '') FROM opportunities)) AS state`,
      ),
    );
    return row.state;
  }
  /** Rejected with at least one readable message matching `reason`, and nothing written. */
  async function expectRejected(report: ImportReport, reason: RegExp) {
    expect(report.outcome).toBe("rejected");
    expect(report.problemCount).toBeGreaterThan(0);
    const messages = report.problems.map((problem) => problem.message);
    expect(
      messages.some((message) => reason.test(message)),
      messages.join("\n"),
    ).toBe(true);
    for (const message of messages) {
      expect(message.length, "a problem message stays readable").toBeLessThan(1_000);
      expect(message).not.toMatch(/\u0000/);
    }
    expect(await snapshot()).toBe(before);
  }

  it("a file truncated inside a quoted field is refused with the line it starts on", async () => {
    const truncated = `${CUSTOMERS}C-1,Acme,low\nC-9,"Half a na`;
    await expectRejected(await run({ customers: truncated }), /line 3.*never closed/);
  });

  it("a file truncated mid-row is refused: the last row has too few fields", async () => {
    const truncated = GOOD_OPPORTUNITIES.replace("O-3,C-3,qualification,2027-01-15,5000,rep.a\n", "O-3,C-3,qualif");
    await expectRejected(
      await run({ customers: GOOD_CUSTOMERS.replace("Acme", "Acme Renamed"), opportunities: truncated }),
      /line 4: expected 6 fields/,
    );
  });

  it("a UTF-16 file (with or without BOM) is refused with a message about the header, not a database error", async () => {
    const text = CUSTOMERS.replace("\n", "\r\n") + "C-1,Zoë,high\r\n";
    await expectRejected(
      await run({ customers: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]) }),
      /header|UTF-8/,
    );
    await expectRejected(await run({ customers: Buffer.from(text, "utf16le") }), /header|UTF-8/);
    const be = Buffer.from(text, "utf16le").swap16();
    await expectRejected(await run({ customers: Buffer.concat([Buffer.from([0xfe, 0xff]), be]) }), /header|UTF-8/);
  });

  it("a Latin-1 file is refused with a hint to save it as UTF-8", async () => {
    await expectRejected(
      await run({ customers: Buffer.from(`${CUSTOMERS}C-1,Café Zoë,high\n`, "latin1") }),
      /line 2, column name: .*not UTF-8/,
    );
  });

  it("binary garbage, with or without a valid header, is refused and writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4_096 }), fc.boolean(), async (bytes, withHeader) => {
        const content = Buffer.concat([Buffer.from(withHeader ? CUSTOMERS : ""), Buffer.from(bytes)]);
        const report = await run({ customers: content });
        if (report.outcome === "imported") {
          // Random bytes can, rarely, spell a valid file (blank lines after the header, or rows that pass every rule):
          // then it is accepted whole, the new customers it reports are in the database, and the seeded ones are untouched.
          const customers = report.entities.customers!;
          expect(report.problemCount).toBe(0);
          expect(customers).toMatchObject({ rejected: 0, updated: 0, inserted: customers.rows - customers.unchanged });
          const added = await db.driver.withConnection((c) =>
            c.query("DELETE FROM customers WHERE customer_id NOT IN ('C-1','C-2','C-3') RETURNING 1"),
          );
          expect(added).toHaveLength(customers.inserted);
        } else {
          expect(report.outcome).toBe("rejected");
          expect(report.problems.length).toBeGreaterThan(0);
          for (const problem of report.problems) expect(problem.message).not.toMatch(/\u0000/);
        }
        expect(await snapshot()).toBe(before);
      }),
      // Always tried: a header then a blank line (a valid, empty file: accepted) and a blank line alone (no header: refused).
      {
        numRuns: 40,
        examples: [
          [new Uint8Array([10]), true],
          [new Uint8Array([10]), false],
        ],
      },
    );
    await expectRejected(await run({ customers: randomBytes(256 * 1024) }), /./);
  });

  it("a NUL byte inside a value is refused as a value problem, not a database error", async () => {
    await expectRejected(await run({ customers: `${CUSTOMERS}C-1,Ac\u0000me,high\n` }), /line 2, column name/);
  });

  it(
    "a single 100 MB field is refused early, in bounded time and memory, and writes nothing",
    { timeout: 120_000 },
    async () => {
      const big = path.join(dir, "huge-field.csv");
      const out = createWriteStream(big);
      out.write(`${CUSTOMERS}C-1,"`);
      const chunk = "x".repeat(1 << 20);
      for (let i = 0; i < 100; i++) if (!out.write(chunk)) await once(out, "drain");
      out.end(`",high\n`);
      await once(out, "close");
      const started = Date.now();
      const report = await importCrmFiles(db, { customers: big });
      await expectRejected(
        report,
        /line 2: a record longer than 8 M characters starts on this line.*the rest of the file was not read/,
      );
      expect(Date.now() - started).toBeLessThan(15_000);
      rmSync(big);
    },
  );

  it("a 100 kB name is refused as too long, naming line and column, with the value cut short in the message", async () => {
    await expectRejected(
      await run({ customers: `${CUSTOMERS}C-1,"${"n".repeat(100_000)}",high\n` }),
      /line 2, column name: "n{80}…" is too long: at most 500 characters \(found 100000\)/,
    );
  });

  it("formulas where a typed value belongs are refused; in free text they are stored verbatim (exports neutralise them)", async () => {
    const formulas =
      OPPORTUNITIES +
      [
        "O-7,C-1,=cmd|' /C calc'!A0,2026-12-01,1,rep.a",
        "O-8,C-1,proposal,@SUM(A1:A9),1,rep.a",
        "O-9,C-1,proposal,2026-12-01,=1+2,rep.a",
        "O-10,C-1,proposal,2026-12-01,+5,rep.a",
      ].join("\n") +
      "\n";
    const report = await run({ opportunities: formulas });
    await expectRejected(report, /column stage/);
    expect(report.problems.map((problem) => problem.column).sort()).toEqual([
      "amount",
      "amount",
      "close_date",
      "stage",
    ]);

    const names = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3", "@SUM(A1)", "\tTab"];
    const text = `${CUSTOMERS}${names.map((name, i) => `F-${i},"${name.replace(/"/g, '""')}",low`).join("\n")}\n`;
    const stored = await run({ customers: text });
    expect(stored.outcome).toBe("imported");
    const rows = await db.driver.withConnection((c) =>
      c.query<{ name: string }>("SELECT name FROM customers WHERE customer_id LIKE 'F-%' ORDER BY customer_id"),
    );
    // Trimmed like every value, otherwise exactly as given: the import is not the place to rewrite data.
    expect(rows.map((row) => row.name)).toEqual(names.map((name) => name.trim()));
    await db.driver.withConnection((c) => c.query("DELETE FROM customers WHERE customer_id LIKE 'F-%'"));
  });
});
