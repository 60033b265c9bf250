import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import { endOfDay } from "../gtm/history-time";
import { isOpen, SALES_STAGES } from "../gtm/sales-stage";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import type { DemoDeal } from "./demo-deal-timeline";
import { DEMO_WEEKS, generateDemoHistory } from "./demo-history";
import { generateDemoData } from "./generate-demo-data";
import { seedDemoData } from "./seed-demo-data";

const today = "2026-11-24" as CalendarDate;
const data = generateDemoData({ today });
const history = generateDemoHistory(data, today);

const byId = (deals: DemoDeal[]) => new Map(deals.map((deal) => [deal.oppId, deal]));
const row = (d: DemoDeal) =>
  `${d.oppId} ${d.customerId} ${d.stage} ${d.closeDate} ${d.amount.toFixed(2)} ${d.salesOwner} ${d.name} ${d.createdDate} ${d.forecastCategory} ${d.probability}`;

describe("demo history", () => {
  it("is 26 weekly exports ending today, the last one today's demo pipeline exactly; same input, same history", () => {
    expect(history.weeks).toHaveLength(DEMO_WEEKS);
    expect(history.weeks.at(-1)).toBe(today);
    expect(history.weeks[0]).toBe("2026-06-02");
    const last = history.dealsAt(DEMO_WEEKS - 1);
    expect(last.map((d) => [d.oppId, d.customerId, d.stage, d.closeDate, d.amount.toFixed(2), d.salesOwner])).toEqual(
      data.opportunities.map((o) => [o.oppId, o.customerId, o.stage, o.closeDate, o.amount.toFixed(2), o.salesOwner]),
    );
    expect(history.customersAt(DEMO_WEEKS - 1)).toEqual(data.customers);
    const again = generateDemoHistory(generateDemoData({ today }), today);
    for (const week of [0, 7, 19]) expect(again.dealsAt(week).map(row)).toEqual(history.dealsAt(week).map(row));
  });

  it("has every kind of change a pipeline review looks for, week after week, and none that cannot happen", () => {
    const seen = {
      created: 0,
      advanced: 0,
      pushed: 0,
      pulledIn: 0,
      resized: 0,
      won: 0,
      lost: 0,
      removed: 0,
      handedOver: 0,
      churnRaised: 0,
      churnLowered: 0,
    };
    const order = (stage: string) => SALES_STAGES.indexOf(stage as never);
    for (let week = 1; week < DEMO_WEEKS; week++) {
      const before = byId(history.dealsAt(week - 1));
      const after = history.dealsAt(week);
      for (const deal of after) {
        expect(deal.createdDate <= history.weeks[week]).toBe(true);
        const was = before.get(deal.oppId);
        if (!was) {
          seen.created++;
          continue;
        }
        expect(deal.createdDate).toBe(was.createdDate);
        if (!isOpen(was.stage))
          expect(deal.stage).toBe(was.stage); // closed deals stay closed
        else if (deal.stage === "closed_won") seen.won++;
        else if (deal.stage === "closed_lost") seen.lost++;
        else if (deal.stage !== was.stage) {
          expect(order(deal.stage)).toBeGreaterThan(order(was.stage));
          seen.advanced++;
        }
        if (deal.closeDate > was.closeDate) seen.pushed++;
        if (deal.closeDate < was.closeDate) seen.pulledIn++;
        if (!deal.amount.equals(was.amount)) seen.resized++;
        if (deal.salesOwner !== was.salesOwner) seen.handedOver++;
        before.delete(deal.oppId);
      }
      seen.removed += before.size;
      const risks = new Map(history.customersAt(week - 1).map((c) => [c.customerId, c.churnRisk]));
      for (const customer of history.customersAt(week)) {
        if (customer.churnRisk === "high" && risks.get(customer.customerId) !== "high") seen.churnRaised++;
        if (customer.churnRisk !== "high" && risks.get(customer.customerId) === "high") seen.churnLowered++;
      }
    }
    for (const [kind, count] of Object.entries(seen))
      expect(count, kind).toBeGreaterThan(kind.startsWith("churn") || kind === "handedOver" ? 15 : 50);
    const first = history.dealsAt(0);
    expect(first.length).toBeGreaterThan(1_500);
    expect(first.length).toBeLessThan(data.opportunities.length);
    const open = history.dealsAt(DEMO_WEEKS - 1).filter((d) => isOpen(d.stage));
    const withCategory = open.filter((d) => d.forecastCategory !== null).length / open.length;
    expect(withCategory).toBeGreaterThan(0.25);
    expect(withCategory).toBeLessThan(0.45);
    expect(open.some((d) => d.probability !== null)).toBe(true);
    expect(history.teams.map((t) => t.ownerName)).toEqual(
      history.teams.map(() => expect.stringMatching(/^[A-Z][a-z]+ [A-Z][a-z]+$/)),
    );
  });
});

describeEachDatabase("demo seed with history", (kind) => {
  let db: TestDatabase;
  let seeded: Awaited<ReturnType<typeof seedDemoData>>;
  beforeAll(async () => {
    db = await kind.create();
    seeded = await seedDemoData(db, today, "Europe/Berlin");
  }, 300_000);
  afterAll(() => db?.dispose());

  const query = <Row>(sql: string, params?: unknown[]) => db.driver.withConnection((c) => c.query<Row>(sql, params));

  it("writes each week as a snapshot import run of the demo seed, and today's pipeline to the current tables", async () => {
    expect(seeded).toEqual({ seeded: true, customers: 300, opportunities: 5_000, weeks: DEMO_WEEKS });
    const runs = await query<{ date: string; source: string; snapshot: boolean; inserted: number; removed: number }>(
      `SELECT to_char(effective_date, 'YYYY-MM-DD') AS date, source, snapshot, (counts->'opportunities'->>'inserted')::int AS inserted, (counts->'opportunities'->>'removed')::int AS removed
       FROM import_runs ORDER BY id`,
    );
    expect(runs.map((r) => r.date)).toEqual(history.weeks);
    expect(runs.every((r) => r.source === "demo seed" && r.snapshot)).toBe(true);
    expect(runs[0].inserted).toBe(history.dealsAt(0).length);
    expect(runs.slice(1).every((r) => r.inserted > 0 && r.removed >= 0)).toBe(true);
    const current = await query<{ id: string; amount: string; stage: string }>(
      `SELECT opp_id AS id, amount::text AS amount, stage::text AS stage FROM opportunities ORDER BY opp_id`,
    );
    expect(current).toEqual(
      data.opportunities.map((o) => ({ id: o.oppId, amount: o.amount.toFixed(2), stage: o.stage })),
    );
    const teams = await query<{ owner_name: string; manager_name: string }>(
      `SELECT owner_name, manager_name FROM sales_teams WHERE manager = 'mgr.north' LIMIT 1`,
    );
    expect(teams).toEqual([{ owner_name: expect.stringMatching(/^[A-Z]/), manager_name: "Nora North" }]);
  });

  it("records the history the weeks show: the versions in force at the end of each export's day are that export", async () => {
    for (const week of [0, 9, 18, DEMO_WEEKS - 2]) {
      const at = endOfDay(history.weeks[week], "Europe/Berlin");
      const deals = await query<{ row: string }>(
        `SELECT concat_ws(' ', opp_id, customer_id, stage, close_date, amount, sales_owner, name, created_date, coalesce(forecast_category::text, 'null'), coalesce(probability::text, 'null')) AS row
         FROM opportunity_versions WHERE valid_from < $1 AND (valid_to IS NULL OR valid_to >= $1) ORDER BY opp_id`,
        [at],
      );
      expect(deals.map((d) => d.row)).toEqual(history.dealsAt(week).map(row).sort());
      const risks = await query<{ id: string; risk: string }>(
        `SELECT customer_id AS id, churn_risk::text AS risk FROM customer_versions WHERE valid_from < $1 AND (valid_to IS NULL OR valid_to >= $1) ORDER BY 1`,
        [at],
      );
      expect(risks).toEqual(history.customersAt(week).map((c) => ({ id: c.customerId, risk: c.churnRisk })));
    }
  });

  it("leaves a database that holds data alone", async () => {
    const [before] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM opportunity_versions`);
    expect(await seedDemoData(db, "2026-12-01" as CalendarDate)).toEqual({
      seeded: false,
      customers: 0,
      opportunities: 0,
      weeks: 0,
    });
    expect(await query(`SELECT count(*)::int AS n FROM opportunity_versions`)).toEqual([before]);
  });
});
