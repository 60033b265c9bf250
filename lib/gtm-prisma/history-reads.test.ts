import { afterEach, beforeEach, expect, it } from "vitest";
import { ALL_OWNERS, ownersScope } from "../gtm/pipeline-scope";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { PrismaOpportunityRepository } from "./prisma-opportunity-repository";

describeEachDatabase("deal and customer timelines", (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await kind.create();
  });
  afterEach(() => db?.dispose());

  const write = (instant: string, ...statements: string[]) =>
    db.driver.withConnection((connection) =>
      connection.transaction(async (tx) => {
        await tx.query(`SELECT set_config('pipeline.effective_at', '${instant}', true)`);
        for (const statement of statements) await tx.query(statement);
      }),
    );
  const days = (versions: { validFrom: Date }[]) =>
    versions.map((version) => version.validFrom.toISOString().slice(0, 10));

  it("shows a rep the versions of a deal while it was theirs only, including a deal moved to or from them", async () => {
    await write(
      "2026-09-01T00:00Z",
      `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'low')`,
      `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner) VALUES
         ('TO-A', 'C1', 'prospecting', '2026-12-01', 100, 'rep.b'), ('FROM-A', 'C1', 'prospecting', '2026-12-01', 200, 'rep.a')`,
    );
    await write("2026-09-08T00:00Z", `UPDATE opportunities SET stage = 'proposal'`);
    await write(
      "2026-09-15T00:00Z",
      `UPDATE opportunities SET sales_owner = CASE opp_id WHEN 'TO-A' THEN 'rep.a' ELSE 'rep.b' END`,
    );
    await write("2026-09-22T00:00Z", `UPDATE opportunities SET amount = amount + 12000`);

    const admin = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS);
    const repA = new PrismaOpportunityRepository(db.prisma, ownersScope(["rep.a"]));
    expect(days(await admin.opportunityVersions("TO-A"))).toEqual([
      "2026-09-01",
      "2026-09-08",
      "2026-09-15",
      "2026-09-22",
    ]);
    // Moved to rep.a on 09-15: nothing before the move.
    const movedIn = await repA.opportunityVersions("TO-A");
    expect(days(movedIn)).toEqual(["2026-09-15", "2026-09-22"]);
    expect(movedIn.map((version) => version.amount.toFixed(2))).toEqual(["100.00", "12100.00"]);
    // Moved away from rep.a on 09-15: nothing after the move.
    expect(days(await repA.opportunityVersions("FROM-A"))).toEqual(["2026-09-01", "2026-09-08"]);
    expect(
      await new PrismaOpportunityRepository(db.prisma, ownersScope(["rep.c"])).opportunityVersions("TO-A"),
    ).toEqual([]);
  });

  it("shows a customer's churn-risk versions to whoever may see the customer, and to no one else", async () => {
    await write(
      "2026-09-01T00:00Z",
      `INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'low')`,
      `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner) VALUES ('O1', 'C1', 'proposal', '2026-12-01', 100, 'rep.a')`,
    );
    await write("2026-09-14T00:00Z", `UPDATE customers SET churn_risk = 'high'`);
    const repA = new PrismaOpportunityRepository(db.prisma, ownersScope(["rep.a"]));
    expect((await repA.customerVersions("C1")).map((version) => version.churnRisk)).toEqual(["low", "high"]);
    expect(await new PrismaOpportunityRepository(db.prisma, ownersScope(["rep.b"])).customerVersions("C1")).toEqual([]);
  });
});
