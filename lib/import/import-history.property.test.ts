import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import { endOfDay, inForceAt } from "../gtm/history-time";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { type ImportFiles, importCrmFiles } from "./import-crm-files";

/**
 * History is exact: after any sequence of dated imports (creations, changes, snapshot removals,
 * churn flips, imports dated out of order), the versions in force at the end of every day are
 * what a plain replay of the accepted files up to that day gives, and exactly the imports
 * dated before a later recorded change of a record they touch are refused.
 */
const TIME_ZONE = "Europe/Berlin"; // the days below cross the switch to summer time (2026-03-29)
const FIRST_DAY = "2026-03-24" as CalendarDate;
const DAYS = 8;

interface CustomerRow {
  id: string;
  risk: string;
}
interface OpportunityRow {
  id: string;
  customer: string;
  stage: string;
  amount: string;
  owner: string;
  name: string;
}
interface Step {
  day: number;
  snapshot: boolean;
  customers: CustomerRow[];
  opportunities: OpportunityRow[];
}

const customerRow = (id: string) => fc.record({ id: fc.constant(id), risk: fc.constantFrom("low", "high") });
const opportunityRow = (id: string) =>
  fc.record({
    id: fc.constant(id),
    customer: fc.constantFrom("C-1", "C-2"),
    stage: fc.constantFrom("prospecting", "proposal", "closed_won"),
    amount: fc.constantFrom("100.00", "250.50"),
    owner: fc.constantFrom("rep.a", "rep.b"),
    name: fc.constantFrom("", "Renewal"),
  });
const rows = <T>(ids: string[], row: (id: string) => fc.Arbitrary<T>) =>
  fc.subarray(ids).chain((chosen) => fc.tuple(...chosen.map(row)));
const step = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  snapshot: fc.boolean(),
  customers: rows(["C-1", "C-2"], customerRow),
  opportunities: rows(["O-1", "O-2", "O-3", "O-4"], opportunityRow),
});
// The first import brings both customers, so every opportunity's customer exists from then on.
const steps = fc.tuple(
  step.map((first) => ({
    ...first,
    customers: [
      { id: "C-1", risk: "low" },
      { id: "C-2", risk: "high" },
    ],
  })),
  fc.array(step, { minLength: 2, maxLength: 8 }),
);

/** The instants the database records a change of one record at, as its triggers write them (days stand for their start). */
class RecordedChanges {
  private versions: { from: number; to: number | null }[] = [];
  insert(day: number) {
    this.versions.push({ from: day, to: null });
  }
  update(day: number) {
    const current = this.versions.at(-1)!;
    if (current.from === day) return; // the same day's version is overwritten
    current.to = day;
    this.versions.push({ from: day, to: null });
  }
  remove(day: number) {
    const current = this.versions.at(-1)!;
    if (current.from === day)
      this.versions.pop(); // recorded and removed at once: it never existed
    else current.to = day;
  }
  latest(): number {
    return Math.max(-1, ...this.versions.map((v) => v.to ?? v.from));
  }
}

type Table<Row> = Map<string, Row>;
const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);

describeEachDatabase("history is exact after any sequence of dated imports", (kind) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await kind.create();
    dir = mkdtempSync(path.join(tmpdir(), "history-property-"));
  });
  afterAll(() => db?.dispose());

  let fileCount = 0;
  const write = (name: string, content: string) => {
    const target = path.join(dir, String(++fileCount), name);
    mkdirSync(path.dirname(target));
    writeFileSync(target, content);
    return target;
  };
  const dayOf = (day: number) => addDays(FIRST_DAY, day);

  async function importStep(s: Step) {
    const files: ImportFiles = {
      opportunities: write(
        "opportunities.csv",
        "opp_id,customer_id,stage,close_date,amount,sales_owner,name\n" +
          s.opportunities
            .map((o) => `${o.id},${o.customer},${o.stage},2026-06-30,${o.amount},${o.owner},${o.name}\n`)
            .join(""),
      ),
    };
    if (s.customers.length > 0)
      files.customers = write(
        "customers.csv",
        "customer_id,name,churn_risk\n" + s.customers.map((c) => `${c.id},Customer ${c.id},${c.risk}\n`).join(""),
      );
    return importCrmFiles(db, files, {
      effectiveDate: dayOf(s.day),
      snapshot: s.snapshot,
      timeZone: TIME_ZONE,
      source: "property test",
    });
  }

  /** The plain replay: the accepted files dated up to `day`, applied in the order they were imported. */
  function replay(accepted: Step[], day: number) {
    const customers: Table<CustomerRow> = new Map();
    const opportunities: Table<OpportunityRow> = new Map();
    for (const s of accepted.filter((a) => a.day <= day)) {
      for (const c of s.customers) customers.set(c.id, c);
      if (s.snapshot)
        for (const id of opportunities.keys()) if (!s.opportunities.some((o) => o.id === id)) opportunities.delete(id);
      for (const o of s.opportunities) opportunities.set(o.id, o);
    }
    return { customers, opportunities };
  }

  async function recordedAtEndOf(day: number) {
    const at = endOfDay(dayOf(day), TIME_ZONE);
    const [opportunities, customers] = await db.driver.withConnection(
      async (c) =>
        [
          await c.query<{
            id: string;
            customer: string;
            stage: string;
            amount: string;
            owner: string;
            name: string | null;
            validFrom: Date;
            validTo: Date | null;
          }>(
            `SELECT opp_id AS id, customer_id AS customer, stage::text AS stage, amount::text AS amount, sales_owner AS owner, name, valid_from AS "validFrom", valid_to AS "validTo" FROM opportunity_versions`,
          ),
          await c.query<{ id: string; risk: string; validFrom: Date; validTo: Date | null }>(
            `SELECT customer_id AS id, churn_risk::text AS risk, valid_from AS "validFrom", valid_to AS "validTo" FROM customer_versions`,
          ),
        ] as const,
    );
    const inForce = <V extends { validFrom: Date; validTo: Date | null }>(versions: V[]) =>
      versions.filter((v) =>
        inForceAt({ validFrom: new Date(v.validFrom), validTo: v.validTo && new Date(v.validTo) }, at),
      );
    return {
      opportunities: inForce(opportunities).map(({ id, customer, stage, amount, owner, name }) => ({
        id,
        customer,
        stage,
        amount,
        owner,
        name: name ?? "",
      })),
      customers: inForce(customers).map(({ id, risk }) => ({ id, risk })),
    };
  }

  const sorted = <Row extends { id: string }>(list: Iterable<Row>) =>
    [...list].sort((a, b) => a.id.localeCompare(b.id));

  it("for every day, the versions in force at its end equal the replay, and exactly the out-of-order imports are refused", async () => {
    await fc.assert(
      fc.asyncProperty(steps, async ([first, rest]) => {
        await db.driver.withConnection((c) =>
          c.exec(
            `TRUNCATE opportunity_history, customer_versions, import_runs, opportunities, customers RESTART IDENTITY CASCADE`,
          ),
        );
        const customers: Table<CustomerRow> = new Map();
        const opportunities: Table<OpportunityRow> = new Map();
        const changes = new Map<string, RecordedChanges>();
        const changesOf = (id: string) => changes.get(id) ?? changes.set(id, new RecordedChanges()).get(id)!;
        const accepted: Step[] = [];

        for (const s of [first, ...rest]) {
          const later = (id: string) => changesOf(id).latest() > s.day;
          const touched = [
            ...s.customers.map((c) => c.id),
            ...(s.snapshot
              ? [...changes.keys()].filter((id) => id.startsWith("O-"))
              : s.opportunities.map((o) => o.id)),
          ];
          const refused = touched.some(later);
          const report = await importStep(s);
          expect(report.outcome, report.refusal ?? report.problems.map((p) => p.message).join("\n")).toBe(
            refused ? "refused" : "imported",
          );
          if (refused) continue;

          const counts = { inserted: 0, updated: 0, unchanged: 0, removed: 0 };
          for (const c of s.customers) {
            if (!customers.has(c.id)) changesOf(c.id).insert(s.day);
            else if (!same(customers.get(c.id)!, c)) changesOf(c.id).update(s.day);
            customers.set(c.id, c);
          }
          for (const o of s.opportunities) {
            const stored = opportunities.get(o.id);
            if (!stored) changesOf(o.id).insert(s.day);
            else if (!same(stored, o)) changesOf(o.id).update(s.day);
            counts[!stored ? "inserted" : same(stored, o) ? "unchanged" : "updated"]++;
            opportunities.set(o.id, o);
          }
          if (s.snapshot) {
            for (const id of [...opportunities.keys()].filter((id) => !s.opportunities.some((o) => o.id === id))) {
              changesOf(id).remove(s.day);
              opportunities.delete(id);
              counts.removed++;
            }
          }
          expect(report.entities.opportunities).toMatchObject(counts);
          accepted.push(s);
        }

        const [{ runs }] = await db.driver.withConnection((c) =>
          c.query<{ runs: number }>(`SELECT count(*)::int AS runs FROM import_runs`),
        );
        expect(runs).toBe(accepted.length);
        for (let day = -1; day <= DAYS; day++) {
          const expected = replay(accepted, day);
          const recorded = await recordedAtEndOf(day);
          expect(sorted(recorded.opportunities), `opportunities at the end of ${dayOf(day)}`).toEqual(
            sorted(expected.opportunities.values()),
          );
          expect(sorted(recorded.customers), `customers at the end of ${dayOf(day)}`).toEqual(
            sorted(expected.customers.values()),
          );
        }
      }),
      { numRuns: 30 },
    );
  }, 600_000);
});
