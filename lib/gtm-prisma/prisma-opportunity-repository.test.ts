import { ALL_OWNERS, ownersScope, type PipelineScope } from "../gtm/pipeline-scope";
import Decimal from "decimal.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateDemoData, seededRandom } from "../demo/generate-demo-data";
import { addDays, type CalendarDate, calendarDateAt, monthOf } from "../gtm/calendar-date";
import { daysInStage } from "../gtm/deal-age";
import type { Customer } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";
import { parsePipelineQuery, type PipelineQuery, SORT_COLUMNS } from "../gtm/pipeline-query";
import type { PipelineRow } from "../gtm/pipeline-row";
import { matchesView } from "../gtm/pipeline-filter";
import { opportunityStatus } from "../gtm/revenue-at-risk";
import { isOpen, SALES_STAGES } from "../gtm/sales-stage";
import { STATUS_FILTERS } from "../gtm/status-filter";
import { sumMoney } from "../money";
import { aCustomer, anOpportunity } from "../testing/factories";
import { writeOn } from "../testing/dated-writes";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { insertPipeline } from "./insert-pipeline";
import { readRollupState, refreshPipelineRollup } from "./pipeline-rollup";
import { PrismaOpportunityRepository } from "./prisma-opportunity-repository";

const today = "2026-11-24" as CalendarDate;
const query = (search = "", asOf: CalendarDate = today): PipelineQuery => {
  const parsed = parsePipelineQuery(new URLSearchParams(search), asOf);
  expect(parsed.issues).toEqual([]);
  return parsed.query;
};

/**
 * Each deal's stored age, made up (the rule that derives it from history has its own test):
 * stages begin at every time of day over most of a year, so local days differ from UTC ones.
 */
function ageOf(index: number): { firstSeen: Date; stageSince: Date; pushCount: number } {
  const stageSince = new Date(Date.UTC(2026, 0, 1) + index * 9_123_457);
  return { firstSeen: new Date(stageSince.getTime() - (index % 5) * 86_400_000), stageSince, pushCount: index % 4 };
}

/** insertPipeline, then each deal's age (ageOf, by its position in `opportunities`). */
async function insertAgedPipeline(
  prisma: TestDatabase["prisma"],
  customers: Customer[],
  opportunities: Opportunity[],
): Promise<void> {
  await insertPipeline(prisma, customers, opportunities);
  const ages = opportunities.map((_, index) => ageOf(index));
  await prisma.$executeRaw`
    UPDATE opportunities o SET first_seen = a.first_seen, stage_since = a.stage_since, push_count = a.push_count
    FROM unnest(${opportunities.map((o) => o.oppId)}::text[], ${ages.map((age) => age.firstSeen.toISOString())}::timestamptz[],
                ${ages.map((age) => age.stageSince.toISOString())}::timestamptz[], ${ages.map((age) => age.pushCount)}::int[])
      AS a(opp_id, first_seen, stage_since, push_count)
    WHERE o.opp_id = a.opp_id`;
}

/** The rule's age of each deal on a day (memoised: calendarDateAt builds a formatter per call). */
const agesOn = new Map<string, Pick<PipelineRow, "firstSeen" | "daysInStage" | "pushCount">>();
function agedOn(
  index: number,
  asOf: CalendarDate,
  timeZone: string,
): Pick<PipelineRow, "firstSeen" | "daysInStage" | "pushCount"> {
  const key = `${index} ${asOf} ${timeZone}`;
  let aged = agesOn.get(key);
  if (!aged) {
    const age = ageOf(index);
    aged = {
      firstSeen: calendarDateAt(age.firstSeen, timeZone),
      daysInStage: daysInStage(age.stageSince, asOf, timeZone),
      pushCount: age.pushCount,
    };
    agesOn.set(key, aged);
  }
  return aged;
}

/**
 * The test's oracle: the view's predicate in TypeScript (matchesView: scope, filters, status,
 * risk on asOf) and the domain's status and deal age rules, so the tests below prove that the SQL agrees.
 */
function expectedRows(
  customers: Customer[],
  opportunities: Opportunity[],
  q: PipelineQuery,
  timeZone = "UTC",
): PipelineRow[] {
  const byId = new Map(customers.map((customer) => [customer.customerId, customer]));
  return opportunities
    .map((opportunity, index): PipelineRow => {
      const customer = byId.get(opportunity.customerId)!;
      return {
        ...opportunity,
        name: null,
        customerName: customer.name,
        churnRisk: customer.churnRisk,
        status: opportunityStatus(opportunity, customer.churnRisk, q.asOf),
        ...agedOn(index, q.asOf, timeZone),
      };
    })
    .filter((row) => matchesView(row, q, ALL_OWNERS, q.asOf));
}

const money = (amount: Decimal) => amount.toFixed(2);

describeEachDatabase("PrismaOpportunityRepository", (kind) => {
  /** The pipeline below, inserted once and never written again: tests that write or build the rollup make a database of their own. */
  let db: TestDatabase;
  let repository: PrismaOpportunityRepository;
  const data = generateDemoData({ today, seed: 7, customers: 120, opportunities: 3_000, owners: 8 });
  // Edge rows around asOf for a high-churn customer, and awkward search text.
  const risky = aCustomer({ name: "Edge 100%_Risk Corp", churnRisk: "high" });
  const edges = [
    anOpportunity(risky, { closeDate: today, amount: new Decimal("0.10"), salesOwner: "edge.rep" }),
    anOpportunity(risky, { closeDate: addDays(today, -1), amount: new Decimal("0.20"), salesOwner: "edge.rep" }),
    anOpportunity(risky, {
      closeDate: today,
      stage: "closed_won",
      amount: new Decimal("0.30"),
      salesOwner: "edge.rep",
    }),
  ];
  const customers = [...data.customers, risky];
  const opportunities = [...data.opportunities, ...edges];

  beforeAll(async () => {
    db = await kind.create();
    await insertAgedPipeline(db.prisma, customers, opportunities);
    repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS);
  });
  afterAll(() => db?.dispose());

  it("returns only the open opportunities of one customer (the seed's query)", async () => {
    const open = await repository.getOpenForCustomer(risky.customerId);
    expect(open.map((o) => o.oppId).sort()).toEqual([edges[0].oppId, edges[1].oppId].sort());
    expect(open.every((o) => isOpen(o.stage))).toBe(true);
    expect(open.find((o) => o.oppId === edges[0].oppId)?.amount.toFixed(2)).toBe("0.10");
    expect(await repository.getOpenForCustomer("no-such-customer")).toEqual([]);
    // Ids from a URL that no row can have (NUL, too long) are simply not found, not a database error.
    expect(await repository.findOpportunity("OPP\u0000-1", today)).toBeNull();
    expect(await repository.findCustomer("C\u0000")).toBeNull();
    expect(await repository.getOpenForCustomer("x".repeat(65))).toEqual([]);
  });

  /** Every summary figure for many queries and asOf dates, against the oracle. */
  async function expectSummariesMatchTheRule(repository: PrismaOpportunityRepository): Promise<void> {
    const random = seededRandom(99);
    const owners = [...new Set(opportunities.map((o) => o.salesOwner))];
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
    const searches = [
      "",
      "owner=edge.rep",
      "risk=at-risk",
      "risk=overdue",
      "stage=proposal&stage=closed_won",
      "q=100%25_risk",
      // Most customers match: their deals are told by the customers that do not.
      "q=e",
      "status=all&q=e&risk=at-risk",
      "status=all",
      "status=won",
      "status=lost&owner=edge.rep",
      "status=closed&stage=proposal&stage=closed_lost",
      "status=won&stage=proposal",
      "status=all&risk=at-risk",
      "status=closed&minAmount=5000",
      // Deal age filters: the rollup keeps no age, so these are read live.
      "status=all&pushedMin=1&stalledDays=100",
    ];
    for (let i = 0; i < 14; i++) {
      const params = new URLSearchParams();
      if (random() < 0.5) params.append("owner", pick(owners));
      if (random() < 0.3) params.append("owner", pick(owners));
      if (random() < 0.4) params.append("stage", pick(SALES_STAGES));
      if (random() < 0.6) params.set("status", pick(STATUS_FILTERS));
      if (random() < 0.3) params.set("closeFrom", addDays(today, Math.floor(random() * 200) - 100));
      if (random() < 0.3)
        params.set(
          "closeTo",
          addDays(
            (params.get("closeFrom") as CalendarDate | null) ?? today,
            Math.floor(random() * 300) - (params.has("closeFrom") ? 0 : 50),
          ),
        );
      if (random() < 0.3) params.set("minAmount", String(Math.floor(random() * 50_000)));
      if (random() < 0.3) params.set("risk", pick(["at-risk", "overdue"]));
      searches.push(params.toString());
    }
    for (const asOf of [today, addDays(today, -45), addDays(today, 200)]) {
      for (const search of searches) {
        const q = query(search, asOf);
        const rows = expectedRows(customers, opportunities, q);
        const open = rows.filter((row) => isOpen(row.stage));
        const won = rows.filter((row) => row.stage === "closed_won");
        const lost = rows.filter((row) => row.stage === "closed_lost");
        const atRisk = rows.filter((row) => row.status === "at_risk");
        const overdue = rows.filter((row) => row.status === "overdue");
        const summary = await repository.summarize(q);
        const context = `asOf=${asOf} ${search}`;
        expect([summary.totals.count, (await repository.search(q)).total], context).toEqual([rows.length, rows.length]);
        expect(
          {
            openPipeline: money(summary.totals.openPipeline),
            openCount: summary.totals.openCount,
            atRisk: money(summary.totals.atRisk),
            atRiskCount: summary.totals.atRiskCount,
            overdue: money(summary.totals.overdue),
            overdueCount: summary.totals.overdueCount,
            won: money(summary.totals.won),
            wonCount: summary.totals.wonCount,
            lost: money(summary.totals.lost),
            lostCount: summary.totals.lostCount,
          },
          context,
        ).toEqual({
          openPipeline: money(sumMoney(open.map((row) => row.amount))),
          openCount: open.length,
          atRisk: money(sumMoney(atRisk.map((row) => row.amount))),
          atRiskCount: atRisk.length,
          overdue: money(sumMoney(overdue.map((row) => row.amount))),
          overdueCount: overdue.length,
          won: money(sumMoney(won.map((row) => row.amount))),
          wonCount: won.length,
          lost: money(sumMoney(lost.map((row) => row.amount))),
          lostCount: lost.length,
        });
        const stages = SALES_STAGES.filter((stage) => rows.some((row) => row.stage === stage));
        expect(
          summary.byStage.map((s) => [s.stage, s.count, money(s.amount), money(s.open), money(s.atRisk)]),
          context,
        ).toEqual(
          stages.map((stage) => {
            const inStage = rows.filter((row) => row.stage === stage);
            return [
              stage,
              inStage.length,
              money(sumMoney(inStage.map((row) => row.amount))),
              money(sumMoney(inStage.filter((row) => isOpen(row.stage)).map((row) => row.amount))),
              money(sumMoney(inStage.filter((row) => row.status === "at_risk").map((row) => row.amount))),
            ];
          }),
        );
        const ownerTotals = new Map(
          summary.byOwner.map((o) => [
            o.owner,
            [money(o.open), o.openCount, money(o.atRisk), o.atRiskCount, money(o.overdue), o.overdueCount],
          ]),
        );
        const expectedOwners = new Map(
          [...new Set(open.map((row) => row.salesOwner))].map((owner) => {
            const mine = open.filter((row) => row.salesOwner === owner);
            const risky = mine.filter((row) => row.status === "at_risk");
            const late = mine.filter((row) => row.status === "overdue");
            const sum = (list: typeof mine) => money(sumMoney(list.map((r) => r.amount)));
            return [owner, [sum(mine), mine.length, sum(risky), risky.length, sum(late), late.length]];
          }),
        );
        expect(ownerTotals, context).toEqual(expectedOwners);
        const months = [...new Set(open.map((row) => monthOf(row.closeDate)))].sort();
        expect(
          summary.byCloseMonth.map((m) => [m.month, money(m.open), money(m.atRisk)]),
          context,
        ).toEqual(
          months.map((month) => {
            const inMonth = open.filter((row) => monthOf(row.closeDate) === month);
            return [
              month,
              money(sumMoney(inMonth.map((r) => r.amount))),
              money(sumMoney(inMonth.filter((r) => r.status === "at_risk").map((r) => r.amount))),
            ];
          }),
        );
      }
    }
  }

  it("computes the summary in SQL exactly as the domain rule does in TypeScript, for many queries and asOf dates", async () => {
    expect(await readRollupState(db.prisma)).toEqual({ asOf: null, fresh: false });
    await expectSummariesMatchTheRule(repository);
  });

  it("gives the same summaries from the rollup, whatever the as-of day and close-date range, and goes live again after a write", async () => {
    const own = await kind.create();
    try {
      await insertAgedPipeline(own.prisma, customers, opportunities);
      const fromRollup = new PrismaOpportunityRepository(own.prisma, ALL_OWNERS);
      await own.prisma.$transaction((tx) => refreshPipelineRollup((statement) => tx.$executeRaw(statement), today));
      expect(await readRollupState(own.prisma)).toEqual({ asOf: today, fresh: true });
      const [{ groups }] = await own.prisma.$queryRaw<
        { groups: number }[]
      >`SELECT count(*)::int AS groups FROM pipeline_rollup`;
      expect(groups).toBeGreaterThan(0);
      expect(groups).toBeLessThan(opportunities.length);
      await expectSummariesMatchTheRule(fromRollup);
      // Ranges that start or end on a month's first or last day, or on the rollup's own day.
      for (const search of [
        "closeFrom=2026-12-01&closeTo=2027-01-31",
        `closeFrom=${today}`,
        `closeTo=${today}&risk=overdue`,
        "closeFrom=2026-11-30&closeTo=2026-12-01",
      ]) {
        const q = query(search);
        const rows = expectedRows(customers, opportunities, q);
        const summary = await fromRollup.summarize(q);
        expect([summary.totals.count, money(summary.totals.atRisk), money(summary.totals.overdue)], search).toEqual([
          rows.length,
          money(sumMoney(rows.filter((row) => row.status === "at_risk").map((row) => row.amount))),
          money(sumMoney(rows.filter((row) => row.status === "overdue").map((row) => row.amount))),
        ]);
      }

      // A write that does not rebuild the rollup (not through the import) makes it stale in the same transaction.
      const before = await fromRollup.summarize(query());
      const late = anOpportunity(risky, {
        closeDate: addDays(today, 3),
        amount: new Decimal("1000.01"),
        salesOwner: "edge.rep",
      });
      await insertPipeline(own.prisma, [], [late]);
      expect((await readRollupState(own.prisma)).fresh).toBe(false);
      const after = await fromRollup.summarize(query());
      expect(money(after.totals.atRisk)).toBe(money(before.totals.atRisk.plus("1000.01")));
      expect((await fromRollup.search(query())).total).toBe(before.totals.count + 1);
    } finally {
      await own.dispose();
    }
  });

  it("keeps the edges of the rule: due on asOf is at risk, due the day before is overdue, closed is neither", async () => {
    const { data } = await repository.search(query(`owner=edge.rep&status=all&sort=oppId.asc`));
    expect(data.map((row) => [row.oppId, row.status])).toEqual([
      [edges[0].oppId, "at_risk"],
      [edges[1].oppId, "overdue"],
      [edges[2].oppId, "closed_won"],
    ]);
    const summary = await repository.summarize(query("owner=edge.rep&status=all"));
    expect(money(summary.totals.atRisk)).toBe("0.10");
    expect(money(summary.totals.overdue)).toBe("0.20");
    expect(money(summary.totals.openPipeline)).toBe("0.30");
    expect([money(summary.totals.won), summary.totals.wonCount, money(summary.totals.amount)]).toEqual([
      "0.30",
      1,
      "0.60",
    ]);
    // The default view is the open pipeline: its rows add up to the open figure.
    const open = await repository.summarize(query("owner=edge.rep"));
    expect([open.totals.count, money(open.totals.amount), money(open.totals.won)]).toEqual([2, "0.30", "0.00"]);
  });

  it.each([
    ["owner", "owner=edge.rep"],
    ["two owners", `owner=edge.rep&owner=${data.opportunities[0].salesOwner}`],
    ["stage", "stage=qualification"],
    ["a closed stage, without a status", "stage=closed_lost"],
    ["status won", "status=won"],
    ["status closed with stages", "status=closed&stage=proposal&stage=closed_won"],
    ["status open with a closed stage (nothing)", "status=open&stage=closed_won"],
    ["close date range", `closeFrom=${addDays(today, 10)}&closeTo=${addDays(today, 40)}`],
    ["amount range", "minAmount=1000&maxAmount=5000.50"],
    ["at risk", "risk=at-risk"],
    ["overdue", "risk=overdue"],
    ["search by customer name, with LIKE wildcards taken literally", "q=100%25_Risk"],
    ["search by customer id", `q=${data.customers[3].customerId.toLowerCase()}`],
    ["search by opportunity id", `q=${data.opportunities[42].oppId}`],
    ["search that matches nothing", "q=%25%25nothing%25%25"],
    ["search that most customers match", "q=e"],
    ["times pushed", "pushedMin=2"],
    ["times pushed, none", "pushedMin=4"],
    ["days in stage", "stalledDays=90"],
    ["days in stage, every deal", "stalledDays=0&status=all"],
    ["days in stage and times pushed, at risk", "stalledDays=30&pushedMin=1&risk=at-risk"],
  ])("filters by %s, with the total over the whole set", async (_, search) => {
    const q = query(`${search}&pageSize=500&sort=oppId.asc`);
    const expected = expectedRows(customers, opportunities, q).sort((a, b) => (a.oppId < b.oppId ? -1 : 1));
    const page = await repository.search(q);
    expect(page.total).toBe(expected.length);
    expect(page.data.map((row) => row.oppId)).toEqual(expected.slice(0, 500).map((row) => row.oppId));
    expect(page.data.map((row) => row.status)).toEqual(expected.slice(0, 500).map((row) => row.status));
    const age = (row: PipelineRow) => [row.firstSeen, row.daysInStage, row.pushCount];
    expect(page.data.map(age)).toEqual(expected.slice(0, 500).map(age));
  });

  it("counts deal age, filters and sorts by it in the business time zone exactly as deal-age.ts does", async () => {
    // asOf is the clock's today: the current tables, where the made-up ages are.
    const timeZone = "America/Los_Angeles";
    const zoned = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, { history: { today, timeZone } });
    for (const search of [
      "status=all",
      "stalledDays=45&status=all",
      "stalledDays=1&pushedMin=3",
      "status=all&sort=daysInStage.desc",
      "status=all&sort=firstSeen.asc",
    ]) {
      const q = query(`${search}&pageSize=500`);
      const expected = expectedRows(customers, opportunities, q, timeZone);
      const rows: PipelineRow[] = [];
      for await (const row of zoned.streamRows(q, { batchSize: 700 })) rows.push(row);
      const byId = new Map(expected.map((row) => [row.oppId, [row.firstSeen, row.daysInStage, row.pushCount]]));
      expect(rows.length, search).toBe(expected.length);
      expect(
        rows.map((row) => [row.oppId, row.firstSeen, row.daysInStage, row.pushCount]),
        search,
      ).toEqual(rows.map((row) => [row.oppId, ...byId.get(row.oppId)!]));
      expect((await zoned.summarize(q)).totals.count, search).toBe(expected.length);
    }
  });

  it.each(SORT_COLUMNS.flatMap((column) => [`${column}.asc`, `${column}.desc`]))(
    "sorts by %s with a stable opp_id tie-break, and pages without gaps or repeats",
    async (sort) => {
      const q = query(`sort=${sort}&stage=proposal&pageSize=120`);
      const pages: PipelineRow[] = [];
      let first = await repository.search(q);
      pages.push(...first.data);
      for (let page = 2; page <= first.totalPages; page++)
        pages.push(...(await repository.search({ ...q, page })).data);
      expect(pages).toHaveLength(first.total);
      expect(new Set(pages.map((row) => row.oppId)).size).toBe(first.total);
      const [column, direction] = sort.split(".") as [keyof PipelineRow, string];
      const sign = direction === "desc" ? -1 : 1;
      const rank: Record<string, number> = {
        at_risk: 0,
        overdue: 1,
        open: 2,
        closed_won: 3,
        closed_lost: 4,
        low: 0,
        medium: 1,
        high: 2,
        prospecting: 0,
        qualification: 1,
        proposal: 2,
      };
      const keyOf = (row: PipelineRow) => {
        const value = row[column];
        if (value instanceof Decimal) return value.toNumber();
        return typeof value === "string" && value in rank && column !== "oppId" ? rank[value] : value;
      };
      for (let i = 1; i < pages.length; i++) {
        const a = keyOf(pages[i - 1]);
        const b = keyOf(pages[i]);
        if (typeof a === "string" && typeof b === "string" && column === "customerName") continue; // collation-dependent text order
        const cmp = a! < b! ? -1 : a! > b! ? 1 : pages[i - 1].oppId < pages[i].oppId ? -1 : 1;
        expect(cmp * sign, `${sort} at row ${i}`).toBe(-1);
      }
      first = await repository.search({ ...q, page: first.totalPages + 5 });
      expect(first.data).toEqual([]);
    },
  );

  it("streams every row of a filtered, sorted set in the same order as paging, in batches", async () => {
    for (const sort of [
      "amount.desc",
      "customerName.asc",
      "closeDate.asc",
      "status.desc",
      "churnRisk.asc",
      "oppId.desc",
    ]) {
      const q = query(`sort=${sort}&risk=at-risk`);
      const paged: string[] = [];
      const first = await repository.search({ ...q, pageSize: 500 });
      paged.push(...first.data.map((row) => row.oppId));
      for (let page = 2; page <= first.totalPages; page++)
        paged.push(...(await repository.search({ ...q, page, pageSize: 500 })).data.map((row) => row.oppId));
      const streamed: string[] = [];
      for await (const row of repository.streamRows(q, { batchSize: 37 })) streamed.push(row.oppId);
      expect(streamed, sort).toEqual(paged);
    }
  });

  it("lists the owners in scope, sorted, once each (loose index scan)", async () => {
    const all = [...new Set(opportunities.map((o) => o.salesOwner))].sort((a, b) => (a < b ? -1 : 1));
    expect(await repository.listOwners()).toEqual(all);
    const some = [all[3], all[0], "nobody.here"];
    expect(await new PrismaOpportunityRepository(db.prisma, ownersScope(some)).listOwners()).toEqual([all[0], all[3]]);
    expect(await new PrismaOpportunityRepository(db.prisma, ownersScope([])).listOwners()).toEqual([]);
  });

  it("names the owners in scope by the teams file's display names, and only those it names", async () => {
    const own = await kind.create();
    try {
      await own.prisma.$executeRaw`INSERT INTO sales_teams (sales_owner, manager, owner_name) VALUES
        ('ana.silva', 'mgr.one', 'Ana Silva'), ('ben.shah', 'mgr.one', 'Ben Shah'), ('cy.noname', 'mgr.one', NULL)`;
      const namesFor = (scope: PipelineScope) => new PrismaOpportunityRepository(own.prisma, scope).ownerNames();
      expect(await namesFor(ALL_OWNERS)).toEqual({ "ana.silva": "Ana Silva", "ben.shah": "Ben Shah" });
      expect(await namesFor(ownersScope(["ben.shah", "cy.noname"]))).toEqual({ "ben.shah": "Ben Shah" });
      expect(await namesFor(ownersScope([]))).toEqual({});
    } finally {
      await own.dispose();
    }
  });

  it("gives each deal its name, today and on a past day, finds deals by it, and streams it to exports", async () => {
    const own = await kind.create();
    try {
      const day = (offset: number) => addDays(today, offset);
      await writeOn(
        own,
        day(-20),
        "INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C-1', 'Acme', 'low')",
        `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner, name) VALUES
          ('O-1', 'C-1', 'proposal', '${day(30)}', 100.00, 'ana', 'Platform renewal'),
          ('O-2', 'C-1', 'proposal', '${day(30)}', 200.00, 'ana', NULL)`,
      );
      await writeOn(own, day(-10), "UPDATE opportunities SET name = 'Platform renewal 2027' WHERE opp_id = 'O-1'");
      const repository = new PrismaOpportunityRepository(own.prisma, ALL_OWNERS, {
        history: { today, timeZone: "UTC" },
      });
      const names = async (params: string, asOf = today) =>
        (await repository.search(query(`${params}&asOf=${asOf}`))).data.map((row) => [row.oppId, row.name]);
      expect(await names("sort=oppId.asc")).toEqual([
        ["O-1", "Platform renewal 2027"],
        ["O-2", null],
      ]);
      expect(await names("q=RENEWAL 2027")).toEqual([["O-1", "Platform renewal 2027"]]);
      expect(await names("q=renewal", day(-15))).toEqual([["O-1", "Platform renewal"]]);
      expect(await names("q=2027", day(-15))).toEqual([]);
      const texts = [];
      for await (const batch of repository.streamRowTexts(query("sort=oppId.asc"))) texts.push(...batch);
      expect(texts.map((row) => row.name)).toEqual(["Platform renewal 2027", null]);
      expect((await repository.findOpportunity("O-1", day(-15)))?.name).toBe("Platform renewal");
      expect((await repository.getOpenForCustomer("C-1", day(-15))).map((deal) => deal.name)).toEqual([
        "Platform renewal",
        null,
      ]);
    } finally {
      await own.dispose();
    }
  });

  it("takes a known total instead of counting, and finds deep pages exactly as the plain query orders them", async () => {
    const q = query("stage=proposal&sort=amount.desc&pageSize=25");
    const counted = await repository.search({ ...q, page: 3 });
    const given = await repository.search({ ...q, page: 3 }, { total: Promise.resolve(counted.total) });
    expect(given).toEqual(counted);
    expect((await repository.search(q, { total: 7 })).totalPages).toBe(1);
    const summary = await repository.summarize(q);
    expect(summary.totals.count).toBe(counted.total);
    // Deep pages (keys from opportunities alone) against the streamed order (the plain query), for every sort.
    for (const sort of SORT_COLUMNS.flatMap((column) => [`${column}.asc`, `${column}.desc`])) {
      for (const search of [`sort=${sort}`, `sort=${sort}&risk=at-risk`, `sort=${sort}&q=co&status=all`]) {
        const paged = query(`${search}&pageSize=40`);
        const streamed: string[] = [];
        for await (const row of repository.streamRows(paged, { batchSize: 1_000 })) streamed.push(row.oppId);
        const page = await repository.search({ ...paged, page: 7 });
        expect(
          page.data.map((row) => row.oppId),
          search,
        ).toEqual(streamed.slice(240, 280));
      }
    }
  });
});
