import Decimal from "decimal.js";
import { Prisma, type PrismaClient } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import type { CustomerVersion } from "../gtm/churn-risk-timeline";
import type { ChurnRisk } from "../gtm/customer";
import type { OpportunityVersion } from "../gtm/opportunity-timeline";
import type { PipelineScope } from "../gtm/pipeline-scope";
import type { SalesStage } from "../gtm/sales-stage";
import { HISTORY_STARTS_SQL } from "./history-sql";
import { scopeSql } from "./pipeline-sql";

/** Reads of the recorded versions themselves (timelines), narrowed to a scope like every other read. */

interface OpportunityVersionRecord {
  valid_from: Date;
  valid_to: Date | null;
  removed: boolean;
  customer_id: string;
  stage: string;
  close_date: string;
  amount: string;
  sales_owner: string;
  run_id: number | null;
  run_source: string | null;
  run_effective_date: string | null;
}

/**
 * Every version of one deal that `scope` may see, oldest first: a rep sees the versions whose
 * owner is theirs, so a deal moved to them starts at the move and one moved away ends there.
 */
export async function readOpportunityVersions(
  prisma: PrismaClient,
  scope: PipelineScope,
  oppId: string,
): Promise<OpportunityVersion[]> {
  const records = await prisma.$queryRaw<OpportunityVersionRecord[]>`
    SELECT o.valid_from, o.valid_to, o.removed, o.customer_id, o.stage::text AS stage, to_char(o.close_date, 'YYYY-MM-DD') AS close_date,
           o.amount::text AS amount, o.sales_owner, r.id AS run_id, r.source AS run_source, to_char(r.effective_date, 'YYYY-MM-DD') AS run_effective_date
    FROM opportunity_versions o LEFT JOIN import_runs r ON r.id = o.run_id
    WHERE o.opp_id = ${oppId} AND ${scopeSql(scope)}
    ORDER BY o.valid_from`;
  return records.map((record) => ({
    validFrom: new Date(record.valid_from),
    validTo: record.valid_to === null ? null : new Date(record.valid_to),
    removed: record.removed,
    customerId: record.customer_id,
    stage: record.stage as SalesStage,
    closeDate: record.close_date as CalendarDate,
    amount: new Decimal(record.amount),
    salesOwner: record.sales_owner,
    run:
      record.run_id === null
        ? null
        : {
            id: record.run_id,
            source: record.run_source ?? "",
            effectiveDate: record.run_effective_date as CalendarDate | null,
          },
  }));
}

/** Every version of one customer, oldest first (the caller has checked the customer is visible). */
export async function readCustomerVersions(prisma: PrismaClient, customerId: string): Promise<CustomerVersion[]> {
  const records = await prisma.$queryRaw<
    { valid_from: Date; valid_to: Date | null; name: string; churn_risk: string }[]
  >`
    SELECT v.valid_from, v.valid_to, v.name, v.churn_risk::text AS churn_risk FROM customer_versions v
    WHERE v.customer_id = ${customerId} ORDER BY v.valid_from`;
  return records.map((record) => ({
    validFrom: new Date(record.valid_from),
    validTo: record.valid_to === null ? null : new Date(record.valid_to),
    name: record.name,
    churnRisk: record.churn_risk as ChurnRisk,
  }));
}

/** The first instant anything was recorded; null while history is empty. */
export async function readHistoryStart(prisma: PrismaClient): Promise<Date | null> {
  const [row] = await prisma.$queryRaw<{ starts: Date | null }[]>(Prisma.sql`${HISTORY_STARTS_SQL}`);
  return row?.starts ? new Date(row.starts) : null;
}
