import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { scopeForRole } from "../auth/scope";
import type { Viewer } from "../auth/viewer";
import { PrismaChangesRepository } from "../gtm-prisma/prisma-changes-repository";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import type { CalendarDate } from "../gtm/calendar-date";
import type { ChangesJson } from "../gtm/changes-wire";
import { writeOn } from "../testing/dated-writes";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { ADMIN_VIEWER } from "../testing/viewers";
import type { ExportAuditEntry } from "./api-deps";
import { type ChangesApiDeps, handleChanges } from "./handle-changes";

const today = "2026-02-20" as CalendarDate;
const viewer = (role: Viewer["role"], ownerId: string | null, team: string[] = []): Viewer => ({
  ...ADMIN_VIEWER,
  userId: `u-${ownerId}`,
  role,
  ownerId,
  scope: scopeForRole(role, ownerId, team),
});
const ANA = viewer("rep", "ana");
const BEN = viewer("rep", "ben");
const MANAGER = viewer("manager", "mgr", ["ana", "ben"]);
const MARCH = "from=2026-02-01&to=2026-02-15&closeFrom=2026-03-01&closeTo=2026-03-31";

const deal = (id: string, owner: string, close: string, amount: string, customer = "C1", stage = "proposal") =>
  `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner, name) VALUES ('${id}', '${customer}', '${stage}', '${close}', ${amount}, '${owner}', 'Deal ${id}')`;
const update = (id: string, set: string) => `UPDATE opportunities SET ${set} WHERE opp_id = '${id}'`;

/** A hand-made history around the window 2026-02-01 .. 2026-02-15, deals closing in March. */
async function writeHistory(db: TestDatabase) {
  const on = (day: string, ...statements: string[]) => writeOn(db, day as CalendarDate, ...statements);
  await on(
    "2026-01-26",
    `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'low'), ('C2', 'Globex', 'low')`,
    deal("D-WON", "ana", "2026-03-10", "1000.00"),
    deal("D-LOST", "ben", "2026-03-12", "500.00"),
    deal("D-PUSH", "ana", "2026-03-20", "700.00"),
    deal("D-PULL", "ben", "2026-04-20", "300.00"),
    deal("D-MOVE", "ana", "2026-03-15", "250.00", "C1", "qualification"),
    deal("D-UP", "ana", "2026-03-18", "400.00"),
    deal("D-SLIP", "ana", "2026-03-05", "100.00"),
    deal("D-CHURN", "ben", "2026-03-25", "900.00", "C2"),
    deal("D-GONE", "ana", "2026-03-22", "60.00"),
    deal("D-CARA", "cara", "2026-03-10", "5000.00"),
    deal("D-DUE", "cara", "2026-02-10", "150.00"),
  );
  await on("2026-02-03", deal("D-NEW", "ana", "2026-03-28", "200.00"));
  await on("2026-02-04", deal("D-BLINK", "ana", "2026-03-29", "80.00"));
  await on("2026-02-05", update("D-WON", "stage = 'closed_won'"));
  await on("2026-02-06", update("D-LOST", "stage = 'closed_lost'"));
  await on("2026-02-07", update("D-PUSH", "close_date = '2026-04-15'"), update("D-PULL", "close_date = '2026-03-05'"));
  await on("2026-02-08", update("D-MOVE", "sales_owner = 'ben'"));
  await on("2026-02-09", update("D-UP", "amount = 450.00"), update("D-SLIP", "close_date = '2026-03-30'"));
  await on("2026-02-10", `UPDATE customers SET churn_risk = 'high' WHERE customer_id = 'C2'`);
  await on("2026-02-11", `DELETE FROM opportunities WHERE opp_id = 'D-GONE'`);
  await on("2026-02-12", update("D-BLINK", "stage = 'closed_won'"));
}

describeEachDatabase("GET /api/changes", (kind) => {
  let db: TestDatabase;
  const exports: ExportAuditEntry[] = [];
  /** The API over the shared history, or a test's `own` database. */
  const depsFor = (who: Viewer | null, own?: TestDatabase): ChangesApiDeps => ({
    viewer: async () => who,
    repository: async (v) => new PrismaOpportunityRepository((own ?? db).prisma, v.scope),
    changes: async (v) => new PrismaChangesRepository((own ?? db).prisma, v.scope, { today, timeZone: "UTC" }),
    recordExport: async (_v, entry) => void exports.push(entry),
    today: () => today,
  });
  const get = (who: Viewer | null, search: string) =>
    handleChanges(new Request(`http://localhost/api/changes?${search}`), depsFor(who));
  const json = async (who: Viewer, search: string, own?: TestDatabase) => {
    const response = await handleChanges(new Request(`http://localhost/api/changes?${search}`), depsFor(who, own));
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as ChangesJson;
  };
  const buckets = (body: ChangesJson) =>
    Object.fromEntries(body.buckets.filter((b) => b.count > 0).map((b) => [b.kind, b.amount]));
  /** What the Changes page draws: start, the buckets that hold deals, end. */
  const waterfall = (body: ChangesJson) => ({ start: body.start, buckets: buckets(body), end: body.end });

  beforeAll(async () => {
    db = await kind.create();
    await writeHistory(db);
  }, 120_000);
  afterAll(() => db?.dispose());

  it("explains the change bucket by bucket, every kind present in order; a deal created and closed inside the window is in none", async () => {
    const body = await json(ADMIN_VIEWER, MARCH);
    expect(body.start).toEqual({ amount: "8910.00", count: 9 });
    expect(body.end).toEqual({ amount: "7200.00", count: 7 });
    expect(body.buckets.map((b) => b.kind)).toEqual([
      "new",
      "pulled_in",
      "moved_in",
      "increased",
      "decreased",
      "won",
      "lost",
      "pushed_out",
      "moved_out",
      "removed",
    ]);
    expect(buckets(body)).toEqual({
      new: "200.00",
      pulled_in: "300.00",
      increased: "50.00",
      won: "-1000.00",
      lost: "-500.00",
      pushed_out: "-700.00",
      removed: "-60.00",
    });
    expect(body.buckets.find((b) => b.kind === "decreased")).toEqual({ kind: "decreased", amount: "0.00", count: 0 });
    expect(body.pushed).toEqual({ amount: "100.00", count: 1 });
    expect(body.data).toBeUndefined();
  });

  it("lists a bucket's deals with their state before and after", async () => {
    const body = await json(ADMIN_VIEWER, `${MARCH}&kind=won`);
    expect(body.total).toBe(1);
    expect(body.data).toEqual([
      {
        oppId: "D-WON",
        name: "Deal D-WON",
        customerName: "Acme",
        salesOwner: "ana",
        before: { stage: "proposal", closeDate: "2026-03-10", amount: "1000.00", salesOwner: "ana" },
        after: { stage: "closed_won", closeDate: "2026-03-10", amount: "1000.00", salesOwner: "ana" },
      },
    ]);
    const removed = await json(ADMIN_VIEWER, `${MARCH}&kind=removed`);
    expect(removed.data?.map((d) => [d.oppId, d.after])).toEqual([["D-GONE", null]]);
  });

  it("moves an owner's deal out of one rep's view and into the other's; a manager sees the team, a rep their own", async () => {
    const ana = await json(ANA, MARCH);
    expect(waterfall(ana)).toEqual({
      start: { amount: "2510.00", count: 6 },
      buckets: {
        new: "200.00",
        increased: "50.00",
        won: "-1000.00",
        pushed_out: "-700.00",
        moved_out: "-250.00",
        removed: "-60.00",
      },
      end: { amount: "750.00", count: 3 },
    });
    const ben = await json(BEN, `${MARCH}&kind=moved_in`);
    expect(ben.data?.map((d) => [d.oppId, d.before?.salesOwner, d.after?.salesOwner])).toEqual([
      ["D-MOVE", "ana", "ben"],
    ]);
    const team = await json(MANAGER, MARCH);
    expect(team.start).toEqual({ amount: "3910.00", count: 8 });
    expect(team.end).toEqual({ amount: "2200.00", count: 6 });
    expect(buckets(team).moved_out).toBeUndefined();
    expect((await json(ANA, `${MARCH}&kind=won&owner=cara`)).total).toBe(0);
  });

  it("follows a customer's churn flip into an at-risk view", async () => {
    const body = await json(ADMIN_VIEWER, `${MARCH}&risk=at-risk`);
    expect(waterfall(body)).toEqual({
      start: { amount: "0.00", count: 0 },
      buckets: { moved_in: "900.00" },
      end: { amount: "900.00", count: 1 },
    });
  });

  it("moves a deal nobody touched into an overdue view when its close date passes inside the window", async () => {
    const body = await json(ADMIN_VIEWER, "from=2026-02-01&to=2026-02-15&risk=overdue");
    expect(waterfall(body)).toEqual({
      start: { amount: "0.00", count: 0 },
      buckets: { moved_in: "150.00" },
      end: { amount: "150.00", count: 1 },
    });
  });

  /** `test` on a database of its own, written day by day with `on`, disposed after. */
  const onOwnDatabase = async (
    test: (on: (day: string, ...statements: string[]) => Promise<unknown>, own: TestDatabase) => Promise<void>,
  ) => {
    const own = await kind.create();
    try {
      await test((day, ...statements) => writeOn(own, day as CalendarDate, ...statements), own);
    } finally {
      await own.dispose();
    }
  };

  it("counts a deal removed before the window and brought back inside it as new, whether or not it changed again after", () =>
    onOwnDatabase(async (on, own) => {
      await on(
        "2026-01-26",
        `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'low')`,
        deal("D-BACK", "ana", "2026-03-10", "100.00"),
        deal("D-STAY", "ana", "2026-03-12", "50.00"),
      );
      await on("2026-01-28", `DELETE FROM opportunities WHERE opp_id = 'D-BACK'`);
      await on("2026-02-03", deal("D-BACK", "ana", "2026-03-10", "321.00"));
      await on("2026-02-10", update("D-BACK", "amount = 400.00"));
      const summary = (from: string, to: string) => json(ADMIN_VIEWER, `from=${from}&to=${to}`, own);
      const untilToday = await summary("2026-02-01", "2026-02-15");
      expect(buckets(untilToday)).toEqual({ new: "400.00" });
      expect(untilToday.end).toEqual({ amount: "450.00", count: 2 });
      // Its state on the later day ended after it (the amount changed on 02-10).
      const beforeItChangedAgain = await summary("2026-02-01", "2026-02-05");
      expect(buckets(beforeItChangedAgain)).toEqual({ new: "321.00" });
      expect(beforeItChangedAgain.end).toEqual({ amount: "371.00", count: 2 });
    }));

  it("follows a customer's rename into and out of a search, not its churn flip, whichever way the view is read", () =>
    onOwnDatabase(async (on, own) => {
      await on(
        "2026-01-26",
        `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'low'), ('C2', 'Initech', 'low'), ('C3', 'Acme Co', 'low')`,
        deal("D-REN", "ana", "2026-03-10", "100.00"),
        deal("D-TOUCH", "ana", "2026-03-12", "50.00"),
        deal("D-INIT", "ben", "2026-03-14", "200.00", "C2"),
        deal("D-STAYS", "ben", "2026-03-16", "70.00", "C3"),
        // No name: whether it matches the search is NULL, not false, once its customer no longer does.
        `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner) VALUES ('D-NONAME', 'C1', 'proposal', '2026-03-20', 30.00, 'ana')`,
      );
      await on("2026-02-03", update("D-TOUCH", "amount = 60.00"));
      await on("2026-02-05", `UPDATE customers SET name = 'Umbrella' WHERE customer_id = 'C1'`);
      await on("2026-02-06", `UPDATE customers SET name = 'Acme Labs' WHERE customer_id = 'C2'`);
      await on("2026-02-07", `UPDATE customers SET churn_risk = 'high' WHERE customer_id = 'C3'`);
      // Over every owner it reads the deals that changed; a team's view (every deal here is the
      // team's) reads every deal in either set instead (a narrow view).
      for (const who of [ADMIN_VIEWER, MANAGER]) {
        const body = await json(who, "from=2026-02-01&to=2026-02-15&q=acme", own);
        expect(waterfall(body), who.role).toEqual({
          start: { amount: "250.00", count: 4 },
          buckets: { moved_in: "200.00", moved_out: "-180.00" },
          end: { amount: "270.00", count: 2 },
        });
      }
    }));

  it("follows deals moved between a customer at risk and one that is not into and out of an at-risk view", () =>
    onOwnDatabase(async (on, own) => {
      await on(
        "2026-01-26",
        `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'high'), ('C2', 'Globex', 'low')`,
        deal("D-AWAY", "ana", "2026-03-10", "1000.00", "C1"),
        deal("D-TO-RISK", "ben", "2026-03-12", "500.00", "C2"),
      );
      await on("2026-02-03", update("D-AWAY", "customer_id = 'C2'"));
      await on("2026-02-04", update("D-TO-RISK", "customer_id = 'C1'"));
      await on("2026-02-05", update("D-AWAY", "stage = 'closed_won'"));
      const body = await json(ADMIN_VIEWER, "from=2026-02-01&to=2026-02-15&risk=at-risk", own);
      expect(waterfall(body)).toEqual({
        start: { amount: "1000.00", count: 1 },
        buckets: { won: "-1000.00", moved_in: "500.00" },
        end: { amount: "500.00", count: 1 },
      });
    }));

  it("counts a deal renamed out of a search and then won as won, not as moved out", () =>
    onOwnDatabase(async (on, own) => {
      await on(
        "2026-01-26",
        `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Initech', 'low')`,
        `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner, name) VALUES ('D-NAMED', 'C1', 'proposal', '2026-03-10', 100.00, 'ana', 'Acme expansion')`,
      );
      await on("2026-02-03", update("D-NAMED", "name = 'Seat renewal'"));
      await on("2026-02-05", update("D-NAMED", "stage = 'closed_won'"));
      const body = await json(ADMIN_VIEWER, "from=2026-02-01&to=2026-02-15&q=acme", own);
      expect(waterfall(body)).toEqual({
        start: { amount: "100.00", count: 1 },
        buckets: { won: "-100.00" },
        end: { amount: "0.00", count: 0 },
      });
    }));

  it("counts a deal reopened in the window as moved in, with its closed state before, in an at-risk view and a search", () =>
    onOwnDatabase(async (on, own) => {
      await on(
        "2026-01-26",
        `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'high')`,
        deal("D-BACK", "ana", "2026-03-10", "700.00", "C1", "closed_lost"),
      );
      await on("2026-02-03", update("D-BACK", "stage = 'proposal'"));
      for (const view of ["risk=at-risk", "q=acme"]) {
        const body = await json(ADMIN_VIEWER, `from=2026-02-01&to=2026-02-15&${view}&kind=moved_in`, own);
        expect(waterfall(body), view).toEqual({
          start: { amount: "0.00", count: 0 },
          buckets: { moved_in: "700.00" },
          end: { amount: "700.00", count: 1 },
        });
        expect(
          body.data?.map((d) => [d.oppId, d.before?.stage, d.after?.stage]),
          view,
        ).toEqual([["D-BACK", "closed_lost", "proposal"]]);
      }
    }));

  it("answers 400 with the reason for bad days, from >= to, a from before history, a bad kind", async () => {
    const reasons = async (search: string) => {
      const response = await get(ADMIN_VIEWER, search);
      expect(response.status).toBe(400);
      return ((await response.json()) as { issues: { param: string; message: string }[] }).issues;
    };
    expect(await reasons("from=2026-02-30&to=2026-03-01")).toEqual([
      { param: "from", message: expect.stringMatching(/calendar date/) },
    ]);
    expect(await reasons("to=2026-03-01")).toEqual([{ param: "from", message: expect.stringMatching(/required/) }]);
    expect(await reasons("from=2026-02-15&to=2026-02-15")).toEqual([
      { param: "from", message: "must be before to (2026-02-15)" },
    ]);
    expect(await reasons("from=2026-01-25&to=2026-02-15")).toEqual([
      { param: "from", message: "must not be before history starts (2026-01-26)" },
    ]);
    expect(await reasons(`${MARCH}&kind=nope`)).toEqual([
      { param: "kind", message: expect.stringMatching(/must be one of new, pulled_in/) },
    ]);
    expect(await reasons(`${MARCH}&format=csv`)).toEqual([
      { param: "kind", message: expect.stringMatching(/required with format=csv/) },
    ]);
    expect(await reasons(`${MARCH}&stalledDays=30`)).toEqual([
      { param: "stalledDays", message: expect.stringMatching(/does not apply to what changed/) },
    ]);
    expect((await get(null, MARCH)).status).toBe(401);
  });

  it("exports a bucket's deals as CSV, logged like every export", async () => {
    const response = await get(MANAGER, `${MARCH}&kind=pulled_in&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain("changes-pulled_in-2026-02-01-to-2026-02-15.csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines).toEqual([
      "Opportunity,Deal name,Customer,Sales owner,Change (USD),Before: stage,Before: close date,Before: amount,Before: sales owner,After: stage,After: close date,After: amount,After: sales owner",
      "D-PULL,Deal D-PULL,Acme,ben,300.00,Proposal,2026-04-20,300.00,ben,Proposal,2026-03-05,300.00,ben",
    ]);
    expect(exports.at(-1)).toMatchObject({ format: "csv", rowCount: 1 });
  });

  it("exports the same deals as an Excel workbook, money as numbers, with a sheet naming the bucket and days", async () => {
    const response = await get(MANAGER, `${MARCH}&kind=pulled_in&format=xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain("changes-pulled_in-2026-02-01-to-2026-02-15.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const deals = workbook.getWorksheet("Pulled in")!;
    expect(deals.getRow(2).getCell(1).value).toBe("D-PULL");
    expect(deals.getRow(2).getCell(5).value).toBe(300);
    expect(deals.getRow(2).getCell(6).value).toBe("Proposal");
    expect(deals.rowCount).toBe(2);
    const about = workbook.getWorksheet("Summary")!;
    expect(about.getRow(1).values).toEqual([undefined, "Bucket", "Pulled in"]);
    expect(about.getRow(2).values).toEqual([undefined, "From", "end of 2026-02-01"]);
    expect(exports.at(-1)).toMatchObject({ format: "xlsx", rowCount: 1 });
  });
});
