import type { Database } from "../db/open-database";
import type { CalendarDate } from "../gtm/calendar-date";
import { generateDemoData } from "./generate-demo-data";

const BATCH = 1_000;

/** Inserts the demo pipeline; rows whose id already exists are left as they are, so it is idempotent. */
export async function seedDemoData(db: Database, today: CalendarDate): Promise<{ customers: number; opportunities: number }> {
  const { customers, opportunities } = generateDemoData({ today });
  let insertedCustomers = 0;
  let insertedOpportunities = 0;
  await db.prisma.$transaction(async (tx) => {
    for (let start = 0; start < customers.length; start += BATCH) {
      const { count } = await tx.customer.createMany({ data: customers.slice(start, start + BATCH), skipDuplicates: true });
      insertedCustomers += count;
    }
    for (let start = 0; start < opportunities.length; start += BATCH) {
      const data = opportunities.slice(start, start + BATCH).map((opportunity) => ({
        ...opportunity,
        closeDate: new Date(`${opportunity.closeDate}T00:00:00Z`),
        amount: opportunity.amount.toFixed(2),
      }));
      const { count } = await tx.opportunity.createMany({ data, skipDuplicates: true });
      insertedOpportunities += count;
    }
  }, { timeout: 120_000 });
  return { customers: insertedCustomers, opportunities: insertedOpportunities };
}
