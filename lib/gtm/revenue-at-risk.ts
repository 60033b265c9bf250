import type { CalendarDate } from "./calendar-date";
import type { ChurnRisk } from "./customer";
import type { Opportunity } from "./opportunity";
import { isOpen } from "./sales-stage";

/**
 * THE revenue-at-risk rule. The seed's `is_at_risk` checked only "open and not
 * past close date"; its own docstring and the context description also require
 * the customer to be flagged high churn risk, and that is what we implement:
 *
 *   at risk  <=> stage open AND close_date >= asOf AND customer churn risk = high
 *   overdue  <=> stage open AND close_date <  asOf   (slipped; any churn risk)
 *
 * The SQL used for aggregates (lib/gtm-prisma/pipeline-sql.ts) must agree; a test
 * proves it on generated data.
 */
export const AT_RISK_CHURN: ChurnRisk = "high";

type RiskInput = Pick<Opportunity, "stage" | "closeDate">;

export function isAtRisk(opportunity: RiskInput, churnRisk: ChurnRisk, asOf: CalendarDate): boolean {
  return isOpen(opportunity.stage) && opportunity.closeDate >= asOf && churnRisk === AT_RISK_CHURN;
}

export function isOverdue(opportunity: RiskInput, asOf: CalendarDate): boolean {
  return isOpen(opportunity.stage) && opportunity.closeDate < asOf;
}

export const OPPORTUNITY_STATUSES = ["at_risk", "overdue", "open", "closed_won", "closed_lost"] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

export function opportunityStatus(opportunity: RiskInput, churnRisk: ChurnRisk, asOf: CalendarDate): OpportunityStatus {
  if (!isOpen(opportunity.stage)) return opportunity.stage as "closed_won" | "closed_lost";
  if (isOverdue(opportunity, asOf)) return "overdue";
  if (isAtRisk(opportunity, churnRisk, asOf)) return "at_risk";
  return "open";
}
