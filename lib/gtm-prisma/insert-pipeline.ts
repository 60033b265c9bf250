import type { Prisma, PrismaClient } from "../db/generated/client";
import type { Customer } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";

const BATCH = 1_000;

export function toOpportunityRecord(opportunity: Opportunity): Prisma.OpportunityCreateManyInput {
  return {
    oppId: opportunity.oppId,
    customerId: opportunity.customerId,
    stage: opportunity.stage,
    closeDate: new Date(`${opportunity.closeDate}T00:00:00Z`),
    amount: opportunity.amount.toFixed(2),
    salesOwner: opportunity.salesOwner,
  };
}

/** Inserts customers then opportunities in batches; with `skipDuplicates`, existing ids are left untouched. */
export async function insertPipeline(
  client: PrismaClient | Prisma.TransactionClient,
  customers: Customer[],
  opportunities: Opportunity[],
  options: { skipDuplicates?: boolean } = {},
): Promise<{ customers: number; opportunities: number }> {
  const inserted = { customers: 0, opportunities: 0 };
  for (let start = 0; start < customers.length; start += BATCH) {
    const data = customers.slice(start, start + BATCH);
    inserted.customers += (await client.customer.createMany({ data, skipDuplicates: options.skipDuplicates })).count;
  }
  for (let start = 0; start < opportunities.length; start += BATCH) {
    const data = opportunities.slice(start, start + BATCH).map(toOpportunityRecord);
    inserted.opportunities += (
      await client.opportunity.createMany({ data, skipDuplicates: options.skipDuplicates })
    ).count;
  }
  return inserted;
}
