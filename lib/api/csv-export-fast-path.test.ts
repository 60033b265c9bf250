import { parse } from "csv-parse/sync";
import Decimal from "decimal.js";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { csvRecord } from "../csv/csv-field";
import type { SqlDriver } from "../db/sql-driver";
import { generateDemoData } from "../demo/generate-demo-data";
import { csvCells } from "../export/csv";
import { exportCells, exportHeaders } from "../export/export-cells";
import { exportCursorDriver } from "../gtm-prisma/export-cursor";
import { insertPipeline } from "../gtm-prisma/insert-pipeline";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import { DEFAULT_COLUMNS, parseColumns, PIPELINE_COLUMNS } from "../gtm/pipeline-columns";
import { parsePipelineQuery } from "../gtm/pipeline-query";
import { ALL_OWNERS, ownersScope, type PipelineScope } from "../gtm/pipeline-scope";
import { aCustomer, anOpportunity } from "../testing/factories";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { adminApiDeps } from "../testing/viewers";
import { handleExport } from "./handle-export";
import { toPipelineRowText } from "../gtm/pipeline-wire";

/**
 * The CSV export reads text rows (one COPY ... TO STDOUT on PostgreSQL, keyset batches on PGlite)
 * and writes them without Decimal or per-cell objects. These tests hold it to the bytes the
 * previous path wrote (PipelineRow -> toPipelineRowText -> exportCells -> csvCells, kept here as
 * the oracle), and to the viewer's scope, the filters, cancellation and errors.
 */

const today = "2026-11-24" as CalendarDate;
const HOSTILE_NAMES = [
  '=HYPERLINK("http://evil.example","click")',
  "+1+2",
  "-3+4",
  "@SUM(A1:A9)",
  "\tTabbed",
  "\rCarriage",
  "\nNewline",
  'Quote "Q" Holdings',
  "Comma, Inc.",
  'Two\r\nlines, and "quotes"',
  "Ünïcödé 日本語 🎉 Ltd",
  "'already quoted",
  " =leading space",
  "trailing,",
  // COPY's text format escapes these; they must come back as they were.
  "Back\\slash \\N \\t \\\\ in\tside",
  "O'Brien \\ Sons",
  "ends in a backslash\\",
  "\\",
  "\\.",
];

/** The export as the previous CSV path wrote it, from the row stream the XLSX still uses. */
async function oldPathCsv(repository: PrismaOpportunityRepository, search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const { query } = parsePipelineQuery(params, today);
  const { columns } = parseColumns(params);
  const bom = params.get("bom") === "1";
  let text = (bom ? "\uFEFF" : "") + csvRecord(exportHeaders(columns));
  for await (const row of repository.streamRows(query, { batchSize: 500 }))
    text += csvCells(exportCells(toPipelineRowText(row), columns));
  return text;
}

async function exportCsv(repository: PrismaOpportunityRepository, search: string, batchSize = 97): Promise<Buffer> {
  const response = await handleExport(
    new Request(`http://localhost/api/export?format=csv&${search}`),
    adminApiDeps(repository, () => today),
    { batchSize },
  );
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** Counts the COPYs, the chunks they deliver, and whether the connection is still held. */
function spyingDriver(driver: SqlDriver) {
  const state = { copies: 0, chunks: 0, held: 0 };
  const spy: SqlDriver = {
    withConnection: async (work) => {
      state.held++;
      try {
        return await driver.withConnection((connection) =>
          work({
            ...connection,
            transaction: (fn) =>
              connection.transaction((tx) =>
                fn({
                  ...tx,
                  copyTo: async function* (select) {
                    state.copies++;
                    for await (const chunk of tx.copyTo!(select)) {
                      state.chunks++;
                      yield chunk;
                    }
                  },
                }),
              ),
          }),
        );
      } finally {
        state.held--;
      }
    },
  };
  return { spy, state };
}

describeEachDatabase("CSV export fast path", (kind) => {
  let db: TestDatabase;
  const data = generateDemoData({ today, seed: 23, customers: 80, opportunities: 1_600, owners: 7 });
  const hostile = HOSTILE_NAMES.map((name, index) => aCustomer({ name, churnRisk: index % 2 ? "high" : "medium" }));
  const hostileOpportunities = hostile.flatMap((customer, index) => [
    anOpportunity(customer, {
      oppId: `${"=+-@"[index % 4]}OPP-${index}`,
      salesOwner: "@evil.owner",
      amount: new Decimal(`${index * 1000}.05`),
      closeDate: addDays(today, index - 3),
    }),
    anOpportunity(customer, {
      salesOwner: data.opportunities[index].salesOwner,
      amount: new Decimal("9999999999999999.99"),
      stage: "prospecting",
      closeDate: addDays(today, index),
    }),
    anOpportunity(customer, {
      salesOwner: index % 2 ? 'rep, "quoted"' : "back\\slash\towner",
      amount: new Decimal("0.00"),
      stage: "closed_lost",
    }),
  ]);
  const customers = [...data.customers, ...hostile];
  const opportunities = [...data.opportunities, ...hostileOpportunities];
  const repositoryFor = (scope: PipelineScope, driver: SqlDriver | undefined = exportCursorDriver(db)) =>
    new PrismaOpportunityRepository(db.prisma, scope, { exportCursor: driver });

  beforeAll(async () => {
    db = await kind.create();
    await insertPipeline(db.prisma, customers, opportunities);
  });
  afterAll(() => db?.dispose());

  it("uses one COPY on PostgreSQL and keyset batches on PGlite", () => {
    expect(exportCursorDriver(db) !== undefined).toBe(db.target.kind === "postgres");
  });

  const allColumns = PIPELINE_COLUMNS.map((column) => column.id).join(",");
  const searches = [
    "",
    "bom=1",
    `columns=${allColumns}`,
    "columns=status,amount,customerName,oppId",
    "sort=amount.desc",
    "sort=amount.asc&minAmount=100&maxAmount=50000.5",
    "sort=customerName.asc",
    "sort=customerName.desc&q=inc",
    "sort=churnRisk.asc&risk=at-risk",
    "sort=status.asc",
    "sort=status.desc&stage=prospecting&stage=proposal",
    "sort=closeDate.desc&closeFrom=2026-11-20&closeTo=2027-03-01",
    "sort=salesOwner.asc&owner=%40evil.owner&owner=rep%2C%20%22quoted%22",
    "sort=stage.desc&risk=overdue",
    "sort=oppId.desc&q=OPP",
    "q=%F0%9F%8E%89",
    // A quote and a backslash in a value that COPY gets written into its statement.
    "q=%27Brien%20%5C",
    "sort=salesOwner.desc&owner=back%5Cslash%09owner",
    "owner=nobody",
  ];
  it.each(searches)("writes the same bytes as the previous path: %j", async (search) => {
    const repository = repositoryFor(ALL_OWNERS);
    const expected = Buffer.from(await oldPathCsv(repository, search), "utf8");
    // Batch sizes around the number of rows: the last keyset batch (PGlite) is short, full or empty.
    for (const batchSize of [97, 1_000, 5_000])
      expect((await exportCsv(repository, search, batchSize)).equals(expected)).toBe(true);
  });

  it("writes the hostile cells neutralised and quoted, whole", async () => {
    const text = (await exportCsv(repositoryFor(ALL_OWNERS), "columns=oppId,customerName,salesOwner,amount")).toString(
      "utf8",
    );
    expect(text).toContain(`'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).toContain(`"Two\r\nlines, and ""quotes"""`);
    expect(text).toContain("Ünïcödé 日本語 🎉 Ltd");
    expect(text).toContain(",'@evil.owner,");
    expect(text).toContain("'=OPP-0,");
    expect(text).toContain(",0.05\r\n");
    expect(text).toContain(",9999999999999999.99\r\n");
  });

  it("exports only the viewer's rows, with the filters, as the screen shows them", async () => {
    const owners = [...new Set(data.opportunities.map((o) => o.salesOwner))].sort().slice(0, 2);
    const scoped = repositoryFor(ownersScope(owners));
    const search = "sort=amount.desc&stage=prospecting&stage=qualification&columns=oppId,salesOwner,stage";
    const text = (await exportCsv(scoped, search)).toString("utf8");
    const lines = text.split("\r\n").slice(1, -1);
    const expected = opportunities.filter(
      (o) => owners.includes(o.salesOwner) && (o.stage === "prospecting" || o.stage === "qualification"),
    );
    expect(lines.length).toBe(expected.length);
    expect(new Set(lines.map((line) => line.split(",")[1]))).toEqual(new Set(owners));
    expect(text).toBe(await oldPathCsv(scoped, search));
    // A scope with no owners sees nothing, whatever the filters.
    expect(
      (await exportCsv(repositoryFor(ownersScope([])), "")).toString("utf8").split("\r\n").filter(Boolean),
    ).toHaveLength(1);
  });

  it("stops reading and gives the connection back when the client goes away, many times over", async () => {
    const driver = exportCursorDriver(db);
    const { spy, state } = driver ? spyingDriver(driver) : { spy: undefined, state: undefined };
    // More cancelled exports than the pool has connections: a connection kept by one would hang the next.
    for (let i = 0; i < 12; i++) {
      const copies = state?.copies ?? 0;
      const abort = new AbortController();
      const response = await handleExport(
        new Request(`http://localhost/api/export?format=csv&sort=customerName.asc`, { signal: abort.signal }),
        adminApiDeps(repositoryFor(ALL_OWNERS, spy), () => today),
        { batchSize: 20 },
      );
      const reader = response.body!.getReader();
      await reader.read();
      if (i % 2) abort.abort();
      else await reader.cancel();
      await sleep(20);
      if (state) {
        const chunks = state.chunks;
        await sleep(100);
        expect(state.copies).toBe(copies + 1);
        expect(state.chunks).toBe(chunks);
        expect(state.held).toBe(0);
      }
    }
    if (db.target.kind === "postgres") {
      // Every abandoned COPY's connection was dropped: no backend still sending or holding a transaction.
      const [{ open }] = await db.driver.withConnection((c) =>
        c.query<{ open: number }>(
          "SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND (state LIKE 'idle in transaction%' OR query LIKE 'COPY%')",
        ),
      );
      expect(open).toBe(0);
    }
    expect(parse(await exportCsv(repositoryFor(ALL_OWNERS), "status=all"))).toHaveLength(opportunities.length + 1);
  });

  it("breaks the download (and logs it) when the database fails mid-export, and recovers", async () => {
    if (db.target.kind !== "postgres") return; // PGlite runs in this process: there is no server to lose.
    // Some 18 MB of rows, more than the socket buffers hold: the COPY is still sending when its backend goes.
    const bulky = Array.from({ length: 5 }, (_, index) => aCustomer({ name: `${index} ${"x".repeat(490)}` }));
    await insertPipeline(
      db.prisma,
      bulky,
      Array.from({ length: 30_000 }, (_, index) =>
        anOpportunity(bulky[index % bulky.length], { salesOwner: "bulky.owner" }),
      ),
    );
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const response = await handleExport(
        new Request(`http://localhost/api/export?format=csv&owner=bulky.owner`),
        adminApiDeps(repositoryFor(ALL_OWNERS), () => today),
      );
      const reader = response.body!.getReader();
      await reader.read();
      const [{ terminated }] = await db.driver.withConnection((c) =>
        c.query<{ terminated: number }>(
          "SELECT count(pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY%'",
        ),
      );
      expect(terminated).toBe(1);
      await expect(
        (async () => {
          for (;;) if ((await reader.read()).done) return;
        })(),
      ).rejects.toThrow();
      expect(error).toHaveBeenCalledWith(expect.stringContaining("failed while streaming"), expect.anything());
    } finally {
      error.mockRestore();
      await db.prisma.opportunity.deleteMany({ where: { salesOwner: "bulky.owner" } });
      await db.prisma.customer.deleteMany({
        where: { customerId: { in: bulky.map((customer) => customer.customerId) } },
      });
    }
    expect(parse(await exportCsv(repositoryFor(ALL_OWNERS), "status=all"))).toHaveLength(opportunities.length + 1);
  });

  it("keeps the default columns when none are given", async () => {
    const header = (await exportCsv(repositoryFor(ALL_OWNERS), "owner=nobody")).toString("utf8");
    expect(header).toBe(csvRecord(exportHeaders(DEFAULT_COLUMNS)));
  });
});
