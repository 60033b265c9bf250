import Decimal from "decimal.js";
import { afterEach, beforeEach, expect, it } from "vitest";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import { DEFAULT_CHANGED_DEAL_SORT } from "../gtm/changes-repository";
import type { ChurnRisk } from "../gtm/customer";
import {
  CHANGE_KINDS,
  changesByOwner,
  type ChangeWindow,
  classifyChange,
  type DealChange,
  type OwnerChanges,
  type ChangesSummary,
  summarizeChanges,
} from "../gtm/pipeline-changes";
import { endOfDay } from "../gtm/history-time";
import type { FilterableDeal } from "../gtm/pipeline-filter";
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, type PipelineQuery, RISK_FILTERS } from "../gtm/pipeline-query";
import { ALL_OWNERS, ownersScope } from "../gtm/pipeline-scope";
import { SALES_STAGES, type SalesStage } from "../gtm/sales-stage";
import { writeOn } from "../testing/dated-writes";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { fillHistoryRollups } from "./history-rollup";
import { rebuildPipelineRollup } from "./pipeline-rollup";
import { type ChangesGroupRecord, changedDealsSql, changesSummarySql, walkFor } from "./pipeline-changes-sql";
import { PipelineReadCache } from "./pipeline-read-cache";
import { PrismaChangesRepository } from "./prisma-changes-repository";

/**
 * The SQL's what-changed equals the TypeScript rule (summarizeChanges) over states replayed
 * from the same generated history: dated writes with creations, changes, owner and customer moves,
 * churn flips, customer renames and snapshot removals, then random views, scopes and day pairs.
 */
const FIRST_DAY = "2026-01-05" as CalendarDate;
/** A clock past every day the tests read: each one's end is read from history. */
const LATER = { today: "2027-01-01" as CalendarDate, timeZone: "UTC" };
const OWNERS = ["ana", "ben", "cy"];
const CUSTOMERS = ["C1", "C2", "C3"];

function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]) => items[int(items.length)];
  const subset = <T>(items: readonly T[]) => items.filter(() => next() < 0.4);
  return { next, int, pick, subset };
}
type Random = ReturnType<typeof random>;

interface Customer {
  name: string;
  churnRisk: ChurnRisk;
}
interface World {
  deals: Map<string, FilterableDeal>;
  customers: Map<string, Customer>;
}
/** The state at the end of each write day, in day order. */
type Replay = { day: CalendarDate; world: World }[];

const closeDay = (rng: Random) => addDays("2026-01-01" as CalendarDate, rng.int(150));
const amount = (rng: Random) => new Decimal(1 + rng.int(2_000_000)).dividedBy(100);
const sqlDeal = (deal: FilterableDeal) =>
  `('${deal.oppId}', '${deal.customerId}', '${deal.stage}', '${deal.closeDate}', ${deal.amount.toFixed(2)}, '${deal.salesOwner}', ${deal.name === null ? "NULL" : `'${deal.name}'`})`;

/** Eight weeks of writes: `size` deals on the first day, then up to half as many new ones a week. */
async function generateHistory(db: TestDatabase, rng: Random, size = 8): Promise<Replay> {
  const customers = new Map<string, Customer>(
    CUSTOMERS.map((id, i) => [
      id,
      { name: ["Acme", "Globex", "Initech"][i], churnRisk: rng.pick(["low", "high"] as const) },
    ]),
  );
  const deals = new Map<string, FilterableDeal>();
  const removed: FilterableDeal[] = [];
  let nextId = 1;
  const replay: Replay = [];
  const create = (): FilterableDeal => {
    const customerId = rng.pick(CUSTOMERS);
    return {
      oppId: `O-${nextId++}`,
      name: rng.pick(["Platform renewal", "Seat expansion", null]),
      customerId,
      customerName: customers.get(customerId)!.name,
      churnRisk: customers.get(customerId)!.churnRisk,
      stage: rng.pick(SALES_STAGES.slice(0, 3)),
      closeDate: closeDay(rng),
      amount: amount(rng),
      salesOwner: rng.pick(OWNERS),
    };
  };
  for (let week = 0; week < 8; week++) {
    const day = addDays(FIRST_DAY, week * 7 + (week === 0 ? 0 : rng.int(3)));
    const statements: string[] = [];
    if (week === 0)
      statements.push(
        `INSERT INTO customers (customer_id, name, churn_risk) VALUES ${CUSTOMERS.map((id) => `('${id}', '${customers.get(id)!.name}', '${customers.get(id)!.churnRisk}')`).join(", ")}`,
      );
    const created = Array.from({ length: week === 0 ? size : rng.int(size / 2) }, create);
    if (rng.next() < 0.3 && removed.length)
      created.push({ ...removed.splice(rng.int(removed.length), 1)[0], amount: amount(rng) });
    for (const deal of created) deals.set(deal.oppId, deal);
    if (created.length)
      statements.push(
        `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner, name) VALUES ${created.map(sqlDeal).join(", ")}`,
      );
    for (const deal of [...deals.values()]) {
      if (created.includes(deal) || rng.next() < 0.4) continue;
      const roll = rng.next();
      if (roll < 0.1) {
        deals.delete(deal.oppId);
        removed.push(deal);
        statements.push(`DELETE FROM opportunities WHERE opp_id = '${deal.oppId}'`);
        continue;
      }
      const changed: FilterableDeal = { ...deal };
      if (roll < 0.3) changed.stage = rng.pick(SALES_STAGES) as SalesStage;
      else if (roll < 0.5) changed.closeDate = closeDay(rng);
      else if (roll < 0.7) changed.amount = amount(rng);
      else if (roll < 0.85) changed.salesOwner = rng.pick(OWNERS);
      else if (roll < 0.9) changed.customerId = rng.pick(CUSTOMERS);
      else continue;
      deals.set(deal.oppId, changed);
      statements.push(
        `UPDATE opportunities SET customer_id = '${changed.customerId}', stage = '${changed.stage}', close_date = '${changed.closeDate}', amount = ${changed.amount.toFixed(2)}, sales_owner = '${changed.salesOwner}' WHERE opp_id = '${deal.oppId}'`,
      );
    }
    if (week > 0 && rng.next() < 0.5) {
      const id = rng.pick(CUSTOMERS);
      const churnRisk: ChurnRisk = customers.get(id)!.churnRisk === "high" ? "low" : "high";
      customers.set(id, { ...customers.get(id)!, churnRisk });
      statements.push(`UPDATE customers SET churn_risk = '${churnRisk}' WHERE customer_id = '${id}'`);
    }
    // A rename moves a search's deals in or out with no change of their own ("acme").
    if (week > 0 && rng.next() < 0.4) {
      const id = rng.pick(CUSTOMERS);
      const name = rng.pick(["Acme", "Acme Labs", "Globex", "Umbrella"]);
      customers.set(id, { ...customers.get(id)!, name });
      statements.push(`UPDATE customers SET name = '${name}' WHERE customer_id = '${id}'`);
    }
    await writeOn(db, day, ...statements);
    replay.push({ day, world: { deals: new Map(deals), customers: new Map(customers) } });
  }
  return replay;
}

function stateAt(replay: Replay, day: CalendarDate, oppId: string): FilterableDeal | null {
  const world = replay.filter((entry) => entry.day <= day).at(-1)?.world;
  const deal = world?.deals.get(oppId);
  if (!world || !deal) return null;
  const customer = world.customers.get(deal.customerId)!;
  return { ...deal, customerName: customer.name, churnRisk: customer.churnRisk };
}

function changesIn(replay: Replay, from: CalendarDate, to: CalendarDate): DealChange[] {
  const ids = new Set(replay.flatMap((entry) => [...entry.world.deals.keys()]));
  // Every deal is deleted only by a snapshot removal here, so no state at `to` after one at any time means removed.
  return [...ids].map((oppId) => {
    const after = stateAt(replay, to, oppId);
    return { before: stateAt(replay, from, oppId), after, removed: after === null };
  });
}

function randomWindow(rng: Random, lastDay: CalendarDate): ChangeWindow {
  const span = Number((new Date(lastDay).getTime() - new Date(FIRST_DAY).getTime()) / 86_400_000) + 3;
  const a = rng.int(span);
  const b = a + 1 + rng.int(span - a);
  const closeFrom = rng.next() < 0.6 ? addDays("2026-01-01" as CalendarDate, rng.int(90)) : undefined;
  const closeTo = rng.next() < 0.6 ? addDays(closeFrom ?? ("2026-01-01" as CalendarDate), rng.int(90)) : undefined;
  const [minAmount, maxAmount] = rng.next() < 0.2 ? [new Decimal(2000), new Decimal(15000)] : [undefined, undefined];
  const query: PipelineQuery = {
    owners: rng.next() < 0.3 ? OWNERS.filter(() => rng.next() < 0.5) : [],
    stages: rng.next() < 0.2 ? (rng.subset(SALES_STAGES) as SalesStage[]) : [],
    status: "open",
    closeFrom,
    closeTo,
    minAmount,
    maxAmount,
    risk: rng.next() < 0.4 ? rng.pick(RISK_FILTERS) : undefined,
    q: rng.next() < 0.3 ? rng.pick(["acme", "O-1", "c2", "renewal"]) : undefined,
    sort: DEFAULT_SORT,
    page: 1,
    pageSize: DEFAULT_PAGE_SIZE,
    asOf: lastDay,
  };
  const scope = rng.next() < 0.3 ? ownersScope(rng.subset(OWNERS)) : ALL_OWNERS;
  return { query, scope, from: addDays(FIRST_DAY, a), to: addDays(FIRST_DAY, b) };
}

const plain = (tally: { amount: Decimal; count: number }) => ({ amount: tally.amount.toFixed(2), count: tally.count });
const plainOwner = (row: OwnerChanges) => ({
  owner: row.owner,
  start: plain(row.start),
  end: plain(row.end),
  net: row.net.toFixed(2),
  largest: row.largest && { kind: row.largest.kind, ...plain(row.largest) },
});

/**
 * Every bucket's pages in the default order (the largest change first, the id breaking ties) are
 * the rule's, read as the Changes page reads them: the view's summary first through a read cache,
 * then pages of two. A bucket a walk can read (walkFor) is walked, at most `walkLimit` deals; the
 * others' first four deals are kept with the summary: so some pages come from the walk or the
 * summary's ids and others from the whole bucket. The walk alone, unbounded, and the summary's
 * ids, unbounded, are the whole bucket in that order.
 */
async function expectPagesInImpactOrder(
  db: TestDatabase,
  window: ChangeWindow,
  changes: DealChange[],
  buckets: ChangesSummary["buckets"],
  walkLimit: number,
  label: string,
): Promise<void> {
  const request = { query: window.query, from: window.from, to: window.to };
  const repository = new PrismaChangesRepository(db.prisma, window.scope, LATER, new PipelineReadCache(db.prisma), {
    walkLimit,
    firstPageSize: 4,
  });
  await repository.summarize(request);
  const at = { from: endOfDay(window.from, "UTC"), to: endOfDay(window.to, "UTC") };
  const groups = await db.prisma.$queryRaw<ChangesGroupRecord[]>(
    changesSummarySql(request, window.scope, at, { kinds: CHANGE_KINDS, size: 10_000 }),
  );
  const firstIds = new Map(groups.map((group) => [group.kind, group.first_ids]));
  for (const bucket of buckets.filter((b) => b.count > 0)) {
    const inOrder = changes
      .flatMap((change) => {
        const classified = classifyChange(change, window);
        if (classified?.kind !== bucket.kind) return [];
        return [{ oppId: (change.after ?? change.before)!.oppId, impact: classified.amount.abs() }];
      })
      .sort((x, y) => y.impact.comparedTo(x.impact) || (x.oppId < y.oppId ? 1 : -1))
      .map((deal) => deal.oppId);
    const pageOf = (page: number) => ({
      ...request,
      kind: bucket.kind,
      sort: DEFAULT_CHANGED_DEAL_SORT,
      page,
      pageSize: 2,
    });
    for (const page of [1, 2, 3]) {
      const read = await repository.deals(pageOf(page));
      expect(
        read.data.map((deal) => deal.oppId),
        `${label} ${bucket.kind} page ${page}`,
      ).toEqual(inOrder.slice(2 * page - 2, 2 * page));
      expect(read.total).toBe(bucket.count);
    }
    expect(firstIds.get(bucket.kind), `${label} ${bucket.kind} first ids`).toEqual(inOrder);
    const walk = walkFor(pageOf(1), 10_000);
    if (!walk) continue;
    const walked = await db.prisma.$queryRaw<{ opp_id: string }[]>(
      changedDealsSql(request, window.scope, at, {
        kind: bucket.kind,
        sort: DEFAULT_CHANGED_DEAL_SORT,
        limit: 10_000,
        offset: 0,
        walk,
      }),
    );
    expect(
      walked.map((deal) => deal.opp_id),
      `${label} ${bucket.kind} walked`,
    ).toEqual(inOrder);
  }
}

describeEachDatabase("what changed in SQL agrees with the rule", (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await kind.create();
  }, 120_000);
  afterEach(() => db?.dispose());

  // Start and end read live, then from history rollups (the views no customer field or day moves read them).
  for (const [seed, rollups] of [
    [11, false],
    [29, true],
  ] as const) {
    it(`over a generated history (seed ${seed}${rollups ? ", history rollups built" : ""}): same summary, start + buckets = end, every deal in its one bucket`, async () => {
      const rng = random(seed);
      const replay = await generateHistory(db, rng);
      if (rollups) {
        await rebuildPipelineRollup(db, replay.at(-1)!.day);
        await fillHistoryRollups(db);
        const [{ missing }] = await db.prisma.$queryRaw<{ missing: number }[]>`
          SELECT count(*)::int AS missing FROM history_instants i WHERE NOT EXISTS (SELECT 1 FROM history_rollup_state s WHERE s.at = i.at)`;
        expect(missing).toBe(0);
      }
      for (let run = 0; run < 30; run++) {
        // The last ten end after the last write, like the presets (which end today): views that the
        // customer or the day moves read only the deals those can move, found in the current tables,
        // and the end day is today, read from today's tables (and their rollup, where built).
        const random = randomWindow(rng, replay.at(-1)!.day);
        const endsAfterLastWrite = addDays(replay.at(-1)!.day, 1 + rng.int(3));
        const window =
          run < 20 ? random : { ...random, to: random.to > endsAfterLastWrite ? random.to : endsAfterLastWrite };
        const label = JSON.stringify({ seed, run, ...window });
        const request = { query: window.query, from: window.from, to: window.to };
        const changes = changesIn(replay, window.from, window.to);
        const expected = summarizeChanges(changes, window);
        const clock = run < 20 ? LATER : { today: window.to, timeZone: "UTC" };
        const repository = new PrismaChangesRepository(db.prisma, window.scope, clock);
        const actual = await repository.summarize(request);
        expect(
          {
            start: plain(actual.start),
            end: plain(actual.end),
            pushed: plain(actual.pushed),
            buckets: actual.buckets.map((b) => ({ kind: b.kind, ...plain(b) })),
          },
          label,
        ).toEqual({
          start: plain(expected.start),
          end: plain(expected.end),
          pushed: plain(expected.pushed),
          buckets: expected.buckets.map((b) => ({ kind: b.kind, ...plain(b) })),
        });
        const net = actual.buckets.reduce((sum, bucket) => sum.plus(bucket.amount), actual.start.amount);
        expect(net.toFixed(2), label).toBe(actual.end.amount.toFixed(2));
        // Per owner: the same rule on each owner's part, and the owners' parts add up to the view.
        const byOwner = await repository.summarizeByOwner(request);
        expect(byOwner.map(plainOwner), `${label} by owner`).toEqual(changesByOwner(changes, window).map(plainOwner));
        expect(byOwner.reduce((sum, row) => sum.plus(row.net), new Decimal(0)).toFixed(2), label).toBe(
          actual.end.amount.minus(actual.start.amount).toFixed(2),
        );
        if (run % 4 !== 0) continue;
        for (const bucket of actual.buckets.filter((b) => b.count > 0)) {
          const page = await repository.deals({
            ...request,
            kind: bucket.kind,
            sort: { column: "oppId", direction: "asc" },
            page: 1,
            pageSize: 500,
          });
          const expectedIds = changes
            .filter((change) => classifyChange(change, window)?.kind === bucket.kind)
            .map((change) => (change.after ?? change.before)!.oppId)
            .sort();
          expect(
            page.data.map((deal) => deal.oppId),
            `${label} ${bucket.kind}`,
          ).toEqual(expectedIds);
          expect(page.total).toBe(bucket.count);
        }
        await expectPagesInImpactOrder(db, window, changes, actual.buckets, 3, label);
      }
      expect(CHANGE_KINDS.length).toBe(10);
    }, 120_000);
  }

  it("reads a bucket's pages by a walk where one fits: the same deals in the same order as the whole bucket's", async () => {
    const rng = random(43);
    const replay = await generateHistory(db, rng, 60);
    for (let run = 0; run < 12; run++) {
      // Views a walk can read: no risk filter, no search (onlyChangedDealsMove).
      const random = randomWindow(rng, replay.at(-1)!.day);
      const window = { ...random, query: { ...random.query, risk: undefined, q: undefined } };
      const changes = changesIn(replay, window.from, window.to);
      const { buckets } = summarizeChanges(changes, window);
      await expectPagesInImpactOrder(db, window, changes, buckets, 4, JSON.stringify({ run, ...window }));
    }
  }, 120_000);
});
