import Decimal from "decimal.js";
import { afterEach, beforeEach, expect, it } from "vitest";
import { Prisma, type PrismaClient } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import type { Customer } from "../gtm/customer";
import { parsePipelineQuery, type PipelineQuery } from "../gtm/pipeline-query";
import { ALL_OWNERS } from "../gtm/pipeline-scope";
import { aCustomer, anOpportunity } from "../testing/factories";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { insertPipeline } from "./insert-pipeline";
import { rebuildPipelineRollup } from "./pipeline-rollup";
import { PrismaOpportunityRepository } from "./prisma-opportunity-repository";

const today = "2026-11-23" as CalendarDate;
const query = (search: string): PipelineQuery => parsePipelineQuery(new URLSearchParams(search), today).query;
/** December is read from the rollup; January is cut by closeTo on the 15th, so it is read live. */
const throughMidJanuary = query("owner=rep.snap&closeTo=2027-01-15");

/** What a user reads off the summary for the query, and off the search page's total. */
const readers = {
  summary: async (repository: PrismaOpportunityRepository) => {
    const { totals } = await repository.summarize(throughMidJanuary);
    return { count: totals.count, open: totals.openPipeline.toFixed(2) };
  },
  "search total": async (repository: PrismaOpportunityRepository) => ({
    count: (await repository.search(throughMidJanuary)).total,
  }),
};

/**
 * `prisma`, except that `between` runs once, right after the first statement that reads the
 * rollup's state has returned and before the next statement starts.
 */
function pausingAfterStateRead(prisma: PrismaClient, between: () => Promise<unknown>): PrismaClient {
  let paused = false;
  return new Proxy(prisma, {
    get(target, property, receiver) {
      if (property !== "$queryRaw") return Reflect.get(target, property, receiver);
      return async (first: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
        const statement = first instanceof Prisma.Sql ? first : Prisma.sql(first, ...(values as Prisma.Sql[]));
        const rows = await target.$queryRaw(statement);
        if (!paused && statement.sql.includes("pipeline_rollup_state")) {
          paused = true;
          await between();
        }
        return rows;
      };
    },
  });
}

describeEachDatabase("the summary's statement", (kind) => {
  let db: TestDatabase;
  let customer: Customer;

  beforeEach(async () => {
    db = await kind.create();
    customer = aCustomer({ churnRisk: "high" });
    const deals = [
      anOpportunity(customer, {
        salesOwner: "rep.snap",
        closeDate: "2026-12-10" as CalendarDate,
        amount: new Decimal("100.00"),
      }),
      anOpportunity(customer, {
        salesOwner: "rep.snap",
        closeDate: "2027-01-10" as CalendarDate,
        amount: new Decimal("200.00"),
      }),
      anOpportunity(customer, {
        salesOwner: "rep.snap",
        closeDate: "2027-01-20" as CalendarDate,
        amount: new Decimal("400.00"),
      }),
    ];
    await insertPipeline(db.prisma, [customer], deals);
    await rebuildPipelineRollup(db, today);
  });
  afterEach(() => db?.dispose());

  it("reads the rollup while it is current and the live rows once a write has made it stale", async () => {
    const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS);
    const figures = async () => ({
      ...(await readers.summary(repository)),
      searchTotal: (await readers["search total"](repository)).count,
    });
    expect(await figures()).toEqual({ count: 2, open: "300.00", searchTotal: 2 });
    // A change to the rollup alone (no trigger on it) shows where the figures come from: December from the rollup, January live.
    await db.prisma
      .$executeRaw`UPDATE pipeline_rollup SET amount = amount + 5, opportunity_count = opportunity_count + 1`;
    expect(await figures()).toEqual({ count: 3, open: "305.00", searchTotal: 3 });
    await insertPipeline(
      db.prisma,
      [],
      [
        anOpportunity(customer, {
          salesOwner: "rep.snap",
          closeDate: "2026-12-11" as CalendarDate,
          amount: new Decimal("1.00"),
        }),
      ],
    );
    expect(await figures()).toEqual({ count: 3, open: "301.00", searchTotal: 3 });
  });

  // A write that commits between two statements of one read: PostgreSQL only (PGlite has one connection).
  it.skipIf(kind.name !== "PostgreSQL").each(Object.keys(readers) as (keyof typeof readers)[])(
    "gives the %s from before or after a write that commits while it is read, never a mix",
    async (reader) => {
      const read = readers[reader];
      const before = await read(new PrismaOpportunityRepository(db.prisma, ALL_OWNERS));
      // One transaction changes December (read from the rollup) and January (read live): a read
      // that took its rollup state before the commit and its figures after it would mix them.
      let commit!: () => void;
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const committed = db.driver.withConnection((writer) =>
        writer.transaction(async (tx) => {
          await tx.query("UPDATE opportunities SET amount = amount + 1000000 WHERE sales_owner = 'rep.snap'");
          await tx.query(
            `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner)
             VALUES ('O-SNAP-DEC', $1, 'proposal', '2026-12-12', 10, 'rep.snap'), ('O-SNAP-JAN', $1, 'proposal', '2027-01-12', 20, 'rep.snap')`,
            [customer.customerId],
          );
          written();
          await new Promise<void>((resolve) => (commit = resolve));
        }),
      );
      await wrote;
      const commitNow = () => {
        commit();
        return committed;
      };
      const during = await read(
        new PrismaOpportunityRepository(pausingAfterStateRead(db.prisma, commitNow), ALL_OWNERS),
      );
      await committed;
      const after = await read(new PrismaOpportunityRepository(db.prisma, ALL_OWNERS));
      expect(after).toEqual(reader === "summary" ? { count: 4, open: "2000330.00" } : { count: 4 });
      expect(during).toBeOneOf([before, after]);
    },
  );
});
