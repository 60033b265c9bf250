/**
 * A year of weekly CRM changes for the history benchmarks (not a test): starting from the
 * generated pipeline, each week a few percent of deals change (stage moves, pushed or pulled
 * close dates, re-sized amounts, handovers), new deals are opened (0.1% of the first pipeline's
 * count, in prospecting, closing in two weeks to four months) and about 0.5% of customers change
 * churn risk.
 * Each week is written as the CSV files a weekly import reads, either only the changed rows
 * or the whole CRM (every row, the changed ones with their new values). Seeded: same input,
 * same weeks.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { csvField } from "../lib/csv/csv-field";
import { type DemoData, seededRandom } from "../lib/demo/generate-demo-data";
import { addDays, type CalendarDate } from "../lib/gtm/calendar-date";
import type { ChurnRisk } from "../lib/gtm/customer";
import type { SalesStage } from "../lib/gtm/sales-stage";

const NEXT_STAGE: Record<SalesStage, SalesStage | undefined> = {
  prospecting: "qualification",
  qualification: "proposal",
  proposal: undefined,
  closed_won: undefined,
  closed_lost: undefined,
};
const RISKS: ChurnRisk[] = ["low", "medium", "high"];

export interface WeekFiles {
  customers: string;
  opportunities: string;
  /** Rows whose values differ from the week before. */
  changedOpportunities: number;
  changedCustomers: number;
  /** Rows in the files. */
  opportunityRows: number;
  customerRows: number;
}

async function writeLines(file: string, header: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (const line of lines) if (!out.write(`${line}\n`)) await once(out, "drain");
  out.end();
  await once(out, "close");
}

export class WeeklyChanges {
  private readonly oppId: string[];
  private readonly customerId: string[];
  private readonly stage: SalesStage[];
  private readonly closeDate: CalendarDate[];
  private readonly cents: number[];
  private readonly owner: string[];
  private readonly churn: ChurnRisk[];
  private readonly random: () => number;

  constructor(
    private readonly data: DemoData,
    private readonly owners: string[],
    /** The share of deals changed each week. */
    private readonly share = 0.025,
    /** New deals a week, as a share of the first pipeline's count. */
    private readonly newShare = 0.001,
    seed = 20261201,
  ) {
    this.oppId = data.opportunities.map((o) => o.oppId);
    this.customerId = data.opportunities.map((o) => o.customerId);
    this.stage = data.opportunities.map((o) => o.stage);
    this.closeDate = data.opportunities.map((o) => o.closeDate);
    this.cents = data.opportunities.map((o) => Math.round(o.amount.toNumber() * 100));
    this.owner = data.opportunities.map((o) => o.salesOwner);
    this.churn = data.customers.map((c) => c.churnRisk);
    this.random = seededRandom(seed);
  }

  /**
   * Advances the CRM by one week ending on `date` and writes it to `dir`: the changed rows only,
   * or every row (`whole`).
   */
  async writeWeek(dir: string, week: number, date: CalendarDate, whole: boolean): Promise<WeekFiles> {
    const random = this.random;
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const changed = new Set<number>();
    const dealCount = this.oppId.length;
    const changes = Math.round(dealCount * this.share);
    while (changed.size < changes) {
      const i = Math.floor(random() * dealCount);
      if (changed.has(i)) continue;
      changed.add(i);
      const roll = random();
      const next = NEXT_STAGE[this.stage[i]];
      if (roll < 0.35 && this.stage[i] !== "closed_won" && this.stage[i] !== "closed_lost") {
        this.stage[i] = next ?? (random() < 0.5 ? "closed_won" : "closed_lost");
      } else if (roll < 0.65) {
        this.closeDate[i] = addDays(this.closeDate[i], int(-30, 45) || 7);
      } else if (roll < 0.85) {
        this.cents[i] = Math.max(100, Math.round(this.cents[i] * (0.7 + random() * 0.6)));
      } else {
        const owner = this.owners[int(0, this.owners.length - 1)];
        this.owner[i] =
          owner === this.owner[i] ? this.owners[(this.owners.indexOf(owner) + 1) % this.owners.length] : owner;
      }
    }
    const opened = Math.round(this.data.opportunities.length * this.newShare);
    for (let n = 1; n <= opened; n++) {
      const i = this.oppId.push(`NEW-${String(week).padStart(2, "0")}-${String(n).padStart(6, "0")}`) - 1;
      this.customerId.push(this.data.customers[int(0, this.data.customers.length - 1)].customerId);
      this.stage.push("prospecting");
      this.closeDate.push(addDays(date, int(14, 120)));
      this.cents.push(this.cents[int(0, this.data.opportunities.length - 1)]);
      this.owner.push(this.owners[int(0, this.owners.length - 1)]);
      changed.add(i);
    }
    const churned = new Set<number>();
    const customerChanges = Math.round(this.data.customers.length * 0.005);
    while (churned.size < customerChanges) {
      const i = Math.floor(random() * this.data.customers.length);
      if (churned.has(i)) continue;
      churned.add(i);
      this.churn[i] = RISKS[(RISKS.indexOf(this.churn[i]) + int(1, 2)) % 3];
    }
    const files = {
      customers: path.join(dir, `week-${week}-customers.csv`),
      opportunities: path.join(dir, `week-${week}-opportunities.csv`),
    };
    const { customers } = this.data;
    const customerIndexes = whole ? customers.keys() : [...churned].sort((a, b) => a - b).values();
    const opportunityIndexes = whole ? this.oppId.keys() : [...changed].sort((a, b) => a - b).values();
    const { churn, oppId, customerId, stage, closeDate, cents: amounts, owner } = this;
    await writeLines(
      files.customers,
      "customer_id,name,churn_risk",
      (function* () {
        for (const i of customerIndexes) yield `${customers[i].customerId},${csvField(customers[i].name)},${churn[i]}`;
      })(),
    );
    await writeLines(
      files.opportunities,
      "opp_id,customer_id,stage,close_date,amount,sales_owner",
      (function* () {
        for (const i of opportunityIndexes) {
          const cents = amounts[i];
          yield `${oppId[i]},${customerId[i]},${stage[i]},${closeDate[i]},${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")},${owner[i]}`;
        }
      })(),
    );
    return {
      ...files,
      changedOpportunities: changed.size,
      changedCustomers: churned.size,
      opportunityRows: whole ? oppId.length : changed.size,
      customerRows: whole ? customers.length : churned.size,
    };
  }
}
