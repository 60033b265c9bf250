import Decimal from "decimal.js";
import { Prisma } from "../db/generated/client";
import { afterEach, beforeEach, expect, it } from "vitest";
import { seededRandom } from "../demo/generate-demo-data";
import { addDays, type CalendarDate, firstOfMonth } from "../gtm/calendar-date";
import type { ChurnRisk } from "../gtm/customer";
import { type AgedVersion, dealAgeAt } from "../gtm/deal-age";
import { endOfDay, startOfDay } from "../gtm/history-time";
import { parsePipelineQuery, type PipelineQuery } from "../gtm/pipeline-query";
import { ALL_OWNERS, ownersScope } from "../gtm/pipeline-scope";
import { trendDays } from "../gtm/at-risk-trend";
import { opportunityStatus } from "../gtm/revenue-at-risk";
import { isOpen, SALES_STAGES, type SalesStage } from "../gtm/sales-stage";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { DEFAULT_FORECAST_SETTINGS } from "../gtm/forecast-settings";
import { forecastTotalsByOwner } from "../gtm/forecast";
import { parseForecastPeriod } from "../gtm/forecast-period";
import { totalsText } from "../testing/forecast-data";
import { atRiskTrendFromRollupsSql } from "./at-risk-trend-sql";
import { exportCursorDriver } from "./export-cursor";
import { fillHistoryRollups, historyRollupAtSql, historyRollupHasDaysSql } from "./history-rollup";
import { opportunitiesAtSql } from "./history-sql";
import { rebuildPipelineRollup } from "./pipeline-rollup";
import { PrismaForecastRepository } from "./prisma-forecast-repository";
import { PrismaOpportunityRepository } from "./prisma-opportunity-repository";

const TIME_ZONE = "America/New_York";
const TODAY = "2026-11-24" as CalendarDate;
const CLOCK = { today: TODAY, timeZone: TIME_ZONE };

interface CustomerState {
  name: string;
  churnRisk: ChurnRisk;
}
interface OpportunityState {
  customerId: string;
  stage: SalesStage;
  closeDate: CalendarDate;
  amount: string;
  salesOwner: string;
}
/** One dated import: rows written (inserted or changed) and opportunities removed, effective at the start of `day`. */
interface Step {
  day: CalendarDate;
  customers: Map<string, CustomerState>;
  opportunities: Map<string, OpportunityState>;
  removed: string[];
}

/** Weekly imports: creations, stage moves, pushes, re-sizes, owner moves, removals, churn flips. */
function generateSteps(seed: number, weeks: number, firstDay: CalendarDate): Step[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const risks: ChurnRisk[] = ["low", "medium", "high"];
  const owners = ["rep.a", "rep.b", "rep.c"];
  const customerIds = ["C1", "C2", "C3", "C4", "C5"];
  const live = new Set<string>();
  let next = 1;
  const steps: Step[] = [];
  for (let week = 0; week < weeks; week++) {
    const day = addDays(firstDay, week * 7);
    const step: Step = { day, customers: new Map(), opportunities: new Map(), removed: [] };
    for (const id of customerIds)
      if (week === 0 || random() < 0.3)
        step.customers.set(id, { name: `Customer ${id} w${week}`, churnRisk: pick(risks) });
    const created = week === 0 ? 14 : 2;
    for (let i = 0; i < created; i++) {
      const oppId = `O${next++}`;
      live.add(oppId);
      step.opportunities.set(oppId, {
        customerId: pick(customerIds),
        stage: pick(SALES_STAGES.slice(0, 3)),
        closeDate: addDays(day, Math.floor(random() * 60) - 20),
        amount: (Math.floor(random() * 1_000_000) / 100).toFixed(2),
        salesOwner: pick(owners),
      });
    }
    if (week > 0) {
      for (const oppId of [...live]) {
        if (step.opportunities.has(oppId) || random() > 0.4) continue;
        const current = currentOf(steps, oppId);
        step.opportunities.set(oppId, {
          ...current,
          stage: random() < 0.5 ? pick(SALES_STAGES) : current.stage,
          closeDate: random() < 0.5 ? addDays(current.closeDate, Math.floor(random() * 30) - 10) : current.closeDate,
          amount: random() < 0.5 ? new Decimal(current.amount).plus("12000.01").toFixed(2) : current.amount,
          salesOwner: random() < 0.2 ? pick(owners) : current.salesOwner,
        });
      }
      const removable = [...live].filter((oppId) => !step.opportunities.has(oppId));
      if (removable.length > 0) {
        const gone = pick(removable);
        live.delete(gone);
        step.removed.push(gone);
      }
    }
    steps.push(step);
  }
  return steps;
}

function currentOf(steps: Step[], oppId: string): OpportunityState {
  for (let i = steps.length - 1; i >= 0; i--) {
    const state = steps[i]!.opportunities.get(oppId);
    if (state) return state;
  }
  throw new Error(`no ${oppId}`);
}

/** The plain replay: the files imported up to and including `day`, applied in order. */
function replay(steps: Step[], day: CalendarDate) {
  const customers = new Map<string, CustomerState>();
  const opportunities = new Map<string, OpportunityState>();
  for (const step of steps.filter((s) => s.day <= day)) {
    for (const [id, state] of step.customers) customers.set(id, state);
    for (const [id, state] of step.opportunities) opportunities.set(id, state);
    for (const id of step.removed) opportunities.delete(id);
  }
  return { customers, opportunities };
}

function expectedRows(steps: Step[], day: CalendarDate) {
  const { customers, opportunities } = replay(steps, day);
  return [...opportunities]
    .map(([oppId, o]) => {
      const customer = customers.get(o.customerId)!;
      const opportunity = { ...o, amount: new Decimal(o.amount) };
      return {
        oppId,
        ...o,
        customerName: customer.name,
        churnRisk: customer.churnRisk,
        status: opportunityStatus(opportunity, customer.churnRisk, day),
      };
    })
    .sort((a, b) => (a.oppId < b.oppId ? -1 : 1));
}

/** The versions the imports record, built from the files alone: a changed state opens one, a removal ends one. */
function versionsOf(steps: Step[]): Map<string, AgedVersion[]> {
  const versions = new Map<string, AgedVersion[]>();
  for (const step of steps) {
    const at = startOfDay(step.day, TIME_ZONE);
    for (const [oppId, state] of step.opportunities) {
      const list = versions.get(oppId) ?? [];
      const last = list.at(-1);
      if (last && last.validTo === null && last.stage === state.stage && last.closeDate === state.closeDate) continue;
      if (last && last.validTo === null) last.validTo = at;
      list.push({ validFrom: at, validTo: null, removed: false, stage: state.stage, closeDate: state.closeDate });
      versions.set(oppId, list);
    }
    for (const oppId of step.removed) Object.assign(versions.get(oppId)!.at(-1)!, { validTo: at, removed: true });
  }
  return versions;
}

const sql = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function importStep(db: TestDatabase, step: Step): Promise<void> {
  await db.driver.withConnection((connection) =>
    connection.transaction(async (tx) => {
      await tx.query(
        `SELECT set_config('pipeline.effective_at', ${sql(startOfDay(step.day, TIME_ZONE).toISOString())}, true)`,
      );
      for (const [id, c] of step.customers) {
        await tx.query(
          `INSERT INTO customers (customer_id, name, churn_risk) VALUES (${sql(id)}, ${sql(c.name)}, ${sql(c.churnRisk)})
           ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, churn_risk = EXCLUDED.churn_risk`,
        );
      }
      for (const [id, o] of step.opportunities) {
        await tx.query(
          `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner, created_date)
           VALUES (${sql(id)}, ${sql(o.customerId)}, ${sql(o.stage)}, ${sql(o.closeDate)}, ${o.amount}, ${sql(o.salesOwner)}, ${sql(step.day)})
           ON CONFLICT (opp_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, stage = EXCLUDED.stage, close_date = EXCLUDED.close_date,
             amount = EXCLUDED.amount, sales_owner = EXCLUDED.sales_owner`,
        );
      }
      for (const id of step.removed) await tx.query(`DELETE FROM opportunities WHERE opp_id = ${sql(id)}`);
    }),
  );
}

const queryOf = (search: string, asOf: CalendarDate): PipelineQuery => {
  const parsed = parsePipelineQuery(new URLSearchParams(search), asOf);
  expect(parsed.issues).toEqual([]);
  return { ...parsed.query, asOf };
};

const plain = (row: {
  oppId: string;
  customerId: string;
  stage: string;
  closeDate: string;
  amount: Decimal | string;
  salesOwner: string;
  customerName: string;
  churnRisk: string;
  status: string;
}) => ({
  oppId: row.oppId,
  customerId: row.customerId,
  stage: row.stage,
  closeDate: row.closeDate,
  amount: new Decimal(row.amount.toString()).toFixed(2),
  salesOwner: row.salesOwner,
  customerName: row.customerName,
  churnRisk: row.churnRisk,
  status: row.status,
});

describeEachDatabase("the pipeline on a past day", (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await kind.create();
  });
  afterEach(() => db?.dispose());

  /** The instant whose history rollup answers for the end of `day`, or null. */
  const rollupAnswering = async (day: CalendarDate) =>
    (
      await db.prisma.$queryRaw<{ at: Date | null }[]>(
        Prisma.sql`SELECT ${historyRollupAtSql(endOfDay(day, TIME_ZONE))} AS at`,
      )
    )[0]!.at;
  /** The latest instant's history rollup, as text. */
  const rollupRows = () =>
    db.prisma.$queryRaw<unknown[]>`
      SELECT sales_owner, stage::text, to_char(close_date, 'YYYY-MM-DD') AS close_month, high_churn, opportunity_count, amount::text
      FROM history_rollup WHERE at = (SELECT max(at) FROM history_instants) ORDER BY 1, 2, 3, 4`;

  it("equals a plain replay of the dated imports, rows and figures, for every day; today reads the current tables", async () => {
    const steps = generateSteps(11, 6, "2026-09-07" as CalendarDate);
    for (const step of steps) await importStep(db, step);
    await rebuildPipelineRollup(db, TODAY);
    const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, {
      exportCursor: exportCursorDriver(db),
      history: CLOCK,
    });
    const keyset = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, { history: CLOCK });
    // Before the first import, the day an import takes effect, and days between imports.
    const days = [
      addDays(steps[0]!.day, -1),
      steps[2]!.day,
      addDays(steps[2]!.day, -1),
      ...steps.map((step) => addDays(step.day, 3)),
    ];
    for (const day of [...days, TODAY]) {
      const expected = expectedRows(steps, day);
      const page = await repository.search(queryOf("status=all&sort=oppId.asc&pageSize=500", day));
      expect(page.data.map(plain), day).toEqual(expected);
      expect(page.total).toBe(expected.length);
      // The status filter reads the stages of that day: the default view is that day's open pipeline.
      const openPage = await repository.search(queryOf("sort=oppId.asc&pageSize=500", day));
      expect(openPage.data.map(plain), day).toEqual(expected.filter((row) => isOpen(row.stage)));
      const wonPage = await repository.search(queryOf("status=won&sort=oppId.asc&pageSize=500", day));
      expect(wonPage.data.map(plain), day).toEqual(expected.filter((row) => row.stage === "closed_won"));

      const summary = await repository.summarize(queryOf("status=all", day));
      const sum = (rows: typeof expected) =>
        rows.reduce((total, row) => total.plus(row.amount), new Decimal(0)).toFixed(2);
      expect(summary.totals.count, day).toBe(expected.length);
      expect([summary.totals.won.toFixed(2), summary.totals.wonCount], day).toEqual([
        sum(expected.filter((row) => row.stage === "closed_won")),
        expected.filter((row) => row.stage === "closed_won").length,
      ]);
      expect([summary.totals.lost.toFixed(2), summary.totals.lostCount], day).toEqual([
        sum(expected.filter((row) => row.stage === "closed_lost")),
        expected.filter((row) => row.stage === "closed_lost").length,
      ]);
      const openSummary = await repository.summarize(queryOf("", day));
      expect([openSummary.totals.count, openSummary.totals.amount.toFixed(2)], day).toEqual([
        openPage.total,
        sum(expected.filter((row) => isOpen(row.stage))),
      ]);
      expect(summary.totals.amount.toFixed(2), day).toBe(sum(expected));
      expect(summary.totals.openPipeline.toFixed(2), day).toBe(sum(expected.filter((row) => isOpen(row.stage))));
      expect(summary.totals.atRisk.toFixed(2), day).toBe(sum(expected.filter((row) => row.status === "at_risk")));
      expect(summary.totals.atRiskCount, day).toBe(expected.filter((row) => row.status === "at_risk").length);
      expect(summary.totals.overdue.toFixed(2), day).toBe(sum(expected.filter((row) => row.status === "overdue")));

      const atRisk = await repository.search(queryOf("risk=at-risk&sort=status.desc&pageSize=500", day));
      expect(atRisk.data.map((row) => row.oppId).sort(), day).toEqual(
        expected.filter((row) => row.status === "at_risk").map((row) => row.oppId),
      );
      expect(await repository.listOwners(day), day).toEqual([...new Set(expected.map((row) => row.salesOwner))].sort());
    }
    // Exports of a past view are the past screen: the COPY path (PostgreSQL) and keyset batches alike.
    const pastDay = addDays(steps[3]!.day, 2);
    const exportQuery = queryOf("status=all&sort=amount.desc&pageSize=500", pastDay);
    const screen = (await repository.search(exportQuery)).data.map(plain);
    for (const reader of [repository, keyset]) {
      const exported = [];
      for await (const batch of reader.streamRowTexts(exportQuery, { batchSize: 7 }))
        exported.push(...batch.map(plain));
      expect(exported).toEqual(screen);
    }
  });

  it("keeps each deal's first seen, stage since and push count as its history says, on every day", async () => {
    const steps = generateSteps(5, 8, "2026-09-07" as CalendarDate);
    for (const step of steps) await importStep(db, step);
    const versions = versionsOf(steps);
    for (const day of [...steps.map((step) => addDays(step.day, 1)), TODAY]) {
      const instant = endOfDay(day, TIME_ZONE);
      const stored = await db.prisma.$queryRaw<
        { opp_id: string; first_seen: Date; stage_since: Date; push_count: number }[]
      >`
        SELECT opp_id, first_seen, stage_since, push_count FROM ${day === TODAY ? Prisma.sql`opportunities` : opportunitiesAtSql(instant)} o ORDER BY opp_id`;
      const expected = [...versions]
        .map(([oppId, list]) => [oppId, dealAgeAt(list, instant)] as const)
        .filter(([, age]) => age !== null)
        .map(([oppId, age]) => ({
          opp_id: oppId,
          first_seen: age!.firstSeen,
          stage_since: age!.stageSince,
          push_count: age!.pushCount,
        }))
        .sort((a, b) => (a.opp_id < b.opp_id ? -1 : 1));
      expect(stored, day).toEqual(expected);
    }
    expect(steps.some((step) => step.removed.length > 0)).toBe(true);
  });

  it("counts a change undone at the same instant as no change, and starts a deal added back after a removal afresh", async () => {
    const [day1, day2, day3, day4] = ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"] as CalendarDate[];
    const deal: OpportunityState = {
      customerId: "C1",
      stage: "proposal",
      closeDate: "2026-12-01" as CalendarDate,
      amount: "100.00",
      salesOwner: "rep.a",
    };
    const only = (day: CalendarDate, state: OpportunityState) => ({
      day,
      customers: new Map(),
      opportunities: new Map([["O1", state]]),
      removed: [],
    });
    await importStep(db, {
      ...only(day1, deal),
      customers: new Map([["C1", { name: "Acme", churnRisk: "low" as ChurnRisk }]]),
    });
    await importStep(db, only(day2, { ...deal, closeDate: "2026-12-15" as CalendarDate }));
    // A corrected file for the same day: the push is undone, the stage changes.
    await importStep(db, only(day2, { ...deal, stage: "qualification" }));
    const age = async () =>
      (
        await db.prisma.$queryRaw<
          { first_seen: Date; stage_since: Date; push_count: number }[]
        >`SELECT first_seen, stage_since, push_count FROM opportunities`
      )[0];
    expect(await age()).toEqual({
      first_seen: startOfDay(day1, TIME_ZONE),
      stage_since: startOfDay(day2, TIME_ZONE),
      push_count: 0,
    });
    await importStep(db, { day: day3, customers: new Map(), opportunities: new Map(), removed: ["O1"] });
    await importStep(db, only(day4, { ...deal, closeDate: "2027-01-15" as CalendarDate }));
    expect(await age()).toEqual({
      first_seen: startOfDay(day4, TIME_ZONE),
      stage_since: startOfDay(day4, TIME_ZONE),
      push_count: 0,
    });
  });

  it("reads a past day's figures from the history rollup of its instant, equal to the versions, and not after a write dated before it", async () => {
    const steps = generateSteps(29, 8, "2026-09-07" as CalendarDate);
    for (const step of steps) await importStep(db, step);
    await rebuildPipelineRollup(db, TODAY); // the latest instant's, from the pipeline rollup
    const fromPipelineRollup = await rollupRows();
    expect(fromPipelineRollup.length).toBeGreaterThan(0);
    // Every instant's from the versions: the latest's again, with its months by day.
    expect(await fillHistoryRollups(db)).toBe(steps.length);
    expect(await fillHistoryRollups(db)).toBe(0);
    const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, { history: CLOCK });
    const team = new PrismaOpportunityRepository(db.prisma, ownersScope(["rep.b", "rep.c"]), { history: CLOCK });
    // Days on an import, between imports, on a month's first; views split by month or by a day inside one.
    const days = [
      steps[1]!.day,
      addDays(steps[2]!.day, 3),
      "2026-10-01",
      "2026-10-31",
      addDays(TODAY, -1),
    ] as CalendarDate[];
    const views = [
      [repository, "status=all"],
      [repository, ""],
      [repository, "risk=at-risk"],
      [repository, "risk=overdue&status=open"],
      [repository, "owner=rep.a&status=closed"],
      [repository, "closeFrom=2026-10-10&closeTo=2026-11-20"],
      [repository, "closeFrom=2026-10-01&closeTo=2026-10-31&stage=proposal"],
      [team, "risk=at-risk"],
      [team, "status=all"],
    ] as const;
    const figures = async () => {
      const all = [];
      for (const day of days)
        for (const [reader, search] of views) {
          const summary = await reader.summarize(queryOf(search, day));
          const page = await reader.search(queryOf(`${search}&pageSize=1`, day));
          all.push({ day, search, summary: JSON.parse(JSON.stringify(summary)) as unknown, total: page.total });
        }
      return all;
    };
    const answers = async () => Promise.all(days.map(async (day) => (await rollupAnswering(day)) !== null));

    expect(await answers()).toEqual(days.map(() => true));
    // Each day inside a month reads its month by close day from the rollup, not from the versions.
    const [{ byDay }] = await db.prisma.$queryRaw<{ byDay: boolean }[]>(
      Prisma.sql`SELECT ${historyRollupHasDaysSql(historyRollupAtSql(endOfDay(days[1]!, TIME_ZONE)), firstOfMonth(days[1]!))} AS "byDay"`,
    );
    expect(byDay).toBe(true);
    const fromRollups = await figures();
    await db.prisma.$executeRaw`DELETE FROM history_rollup_state`;
    expect(await answers()).toEqual(days.map(() => false));
    expect(fromRollups).toEqual(await figures());
    // The latest instant's groups are the same built either way.
    await fillHistoryRollups(db);
    expect(await rollupRows()).toEqual(fromPipelineRollup);

    // A deal recorded as of an earlier day changes every later instant's pipeline: those rollups stop answering.
    const backdated = addDays(steps[4]!.day, 2);
    await importStep(db, {
      day: backdated,
      customers: new Map(),
      opportunities: new Map([
        [
          "LATE",
          {
            customerId: "C1",
            stage: "proposal",
            closeDate: "2026-12-15" as CalendarDate,
            amount: "777.77",
            salesOwner: "rep.a",
          },
        ],
      ]),
      removed: [],
    });
    const after = addDays(steps[5]!.day, 1);
    expect(await rollupAnswering(after)).toBeNull();
    expect(await rollupAnswering(addDays(steps[3]!.day, 1))).not.toBeNull();
    const live = (await repository.summarize(queryOf("status=all", after))).totals;
    expect(live.count).toBe(expectedRows(steps, after).length + 1);
    await fillHistoryRollups(db);
    expect(await rollupAnswering(after)).not.toBeNull();
    expect((await repository.summarize(queryOf("status=all", after))).totals).toEqual(live);
  });

  it("gives the at-risk trend of a view: each day's figure is that day's summary", async () => {
    const steps = generateSteps(17, 8, "2026-09-07" as CalendarDate);
    for (const step of steps) await importStep(db, step);
    const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, { history: CLOCK });
    const rep = new PrismaOpportunityRepository(db.prisma, ownersScope(["rep.b", "rep.c"]), { history: CLOCK });
    const days = [addDays(steps[0]!.day, -1), ...trendDays(TODAY, 9)];
    const views = [
      [repository, ""],
      [repository, "owner=rep.a&minAmount=3000"],
      [rep, "q=customer c2"],
      [repository, "risk=overdue"],
      [repository, "risk=at-risk&stage=proposal"],
      [repository, "stalledDays=10"],
      [repository, "pushedMin=1"],
      [rep, "closeFrom=2026-10-01&closeTo=2026-11-30"],
      [repository, "status=all&closeFrom=2026-10-05"],
    ] as const;
    const expectTrendsToBeSummaries = async () => {
      for (const [reader, search] of views) {
        const trend = await reader.atRiskTrend(queryOf(search, TODAY), days);
        const expected = await Promise.all(
          days.map(async (day) => (await reader.summarize(queryOf(search, day))).totals),
        );
        expect(
          trend.map((point) => [point.day, point.atRisk.toFixed(2), point.atRiskCount]),
          search,
        ).toEqual(days.map((day, index) => [day, expected[index]!.atRisk.toFixed(2), expected[index]!.atRiskCount]));
      }
    };
    await expectTrendsToBeSummaries(); // from the versions
    // And from the history rollups, once the upkeep has built them (whole-month close windows only).
    await rebuildPipelineRollup(db, TODAY);
    await fillHistoryRollups(db);
    const fromRollups = atRiskTrendFromRollupsSql(
      queryOf("closeFrom=2026-10-01&closeTo=2026-11-30", TODAY),
      ownersScope(["rep.b", "rep.c"]),
      days,
      TIME_ZONE,
    );
    expect(await db.prisma.$queryRaw<unknown[]>(fromRollups!)).toHaveLength(days.length);
    expect(atRiskTrendFromRollupsSql(queryOf("closeFrom=2026-10-05", TODAY), ALL_OWNERS, days, TIME_ZONE)).toBeNull();
    await expectTrendsToBeSummaries();
  });

  it("forecasts a past day from the deals as they stood that day", async () => {
    const steps = generateSteps(23, 6, "2026-09-07" as CalendarDate);
    for (const step of steps) await importStep(db, step);
    const forecasts = new PrismaForecastRepository(db.prisma, ALL_OWNERS, CLOCK);
    const period = parseForecastPeriod("2026-Q4");
    const createdOn = (oppId: string) => steps.find((step) => step.opportunities.has(oppId))!.day;
    for (const day of [steps[1]!.day, addDays(steps[3]!.day, 2), TODAY]) {
      const deals = expectedRows(steps, day).map((row) => ({
        ...row,
        amount: new Decimal(row.amount),
        createdDate: createdOn(row.oppId),
        forecastCategory: null,
        probability: null,
      }));
      const expected = forecastTotalsByOwner(deals, [], period, DEFAULT_FORECAST_SETTINGS, day);
      const forecast = await forecasts.forecast(period, queryOf("", day));
      expect(Object.fromEntries(forecast.rows.map((row) => [row.owner, totalsText(row.totals)])), day).toEqual(
        Object.fromEntries(
          [...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([owner, totals]) => [owner, totalsText(totals)]),
        ),
      );
    }
  });

  it("decides at-risk by the churn risk the customer had on that day", async () => {
    const day1 = "2026-10-05" as CalendarDate;
    const day2 = "2026-10-12" as CalendarDate;
    const deal: OpportunityState = {
      customerId: "C1",
      stage: "proposal",
      closeDate: "2026-12-15" as CalendarDate,
      amount: "5000.00",
      salesOwner: "rep.a",
    };
    await importStep(db, {
      day: day1,
      customers: new Map([["C1", { name: "Acme", churnRisk: "low" }]]),
      opportunities: new Map([["O1", deal]]),
      removed: [],
    });
    await importStep(db, {
      day: day2,
      customers: new Map([["C1", { name: "Acme", churnRisk: "high" }]]),
      opportunities: new Map(),
      removed: [],
    });
    const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, { history: CLOCK });
    expect((await repository.findOpportunity("O1", addDays(day2, -1)))?.status).toBe("open");
    expect((await repository.findOpportunity("O1", day2))?.status).toBe("at_risk");
    expect((await repository.summarize(queryOf("", addDays(day2, -1)))).totals.atRisk.toFixed(2)).toBe("0.00");
    expect((await repository.summarize(queryOf("", day2))).totals.atRisk.toFixed(2)).toBe("5000.00");
    expect((await repository.findCustomer("C1", addDays(day2, -1)))?.churnRisk).toBe("low");
    expect(await repository.getOpenForCustomer("C1", addDays(day1, -1))).toEqual([]);
    expect((await repository.getOpenForCustomer("C1", day1)).map((o) => o.oppId)).toEqual(["O1"]);
    // Before history starts, nothing is in force: no rows, zero figures.
    expect(await repository.historyStarts()).toEqual(startOfDay(day1, TIME_ZONE));
    const before = addDays(day1, -1);
    expect((await repository.search(queryOf("", before))).data).toEqual([]);
    expect((await repository.summarize(queryOf("", before))).totals.count).toBe(0);
    expect(await repository.findCustomer("C1", before)).toBeNull();
  });
});
