import type { CalendarDate } from "../gtm/calendar-date";
import type { ChurnRisk } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";
import { type OpportunityStatus, opportunityStatus } from "../gtm/revenue-at-risk";
import type { SalesStage } from "../gtm/sales-stage";
import type { StatusFilter } from "../gtm/status-filter";

/** The words the screen and the files use for the domain's codes (the JSON API keeps the codes). */

export const SALES_STAGE_LABELS: Record<SalesStage, string> = {
  prospecting: "Prospecting",
  qualification: "Qualification",
  proposal: "Proposal",
  closed_won: "Closed won",
  closed_lost: "Closed lost",
};

export const OPPORTUNITY_STATUS_LABELS: Record<OpportunityStatus, string> = {
  at_risk: "At risk",
  overdue: "Overdue",
  open: "Open",
  closed_won: "Won",
  closed_lost: "Lost",
};

/** The choices of the status filter (a view's deals by where they ended up). */
export const STATUS_FILTER_LABELS: Record<StatusFilter, string> = {
  open: "Open",
  won: "Won",
  lost: "Lost",
  closed: "Closed (won or lost)",
  all: "All, open and closed",
};

/** Why an opportunity has its status, in words a sales manager reads on the detail page. */
export function explainStatus(
  opportunity: Pick<Opportunity, "stage" | "closeDate">,
  churnRisk: ChurnRisk,
  asOf: CalendarDate,
): string {
  switch (opportunityStatus(opportunity, churnRisk, asOf)) {
    case "closed_won":
    case "closed_lost":
      return "Not at risk: the deal is closed, so it is no longer part of the open pipeline.";
    case "overdue":
      return `Overdue, not counted as at risk: the deal is still open but its close date ${opportunity.closeDate} is before ${asOf}, so it has slipped and needs a new date.`;
    case "at_risk":
      return `At risk: the deal is open, closes on ${opportunity.closeDate} (on or after ${asOf}), and the customer is flagged high churn risk.`;
    case "open":
      return `Not at risk: the deal is open and closes on ${opportunity.closeDate}, but the customer's churn risk is ${churnRisk}, not high.`;
  }
}
