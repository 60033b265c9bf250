import type { CalendarDate } from "./calendar-date";
import type { PipelineQuery } from "./pipeline-query";
import type { PipelineRow } from "./pipeline-row";
import type { PipelineScope } from "./pipeline-scope";
import { isAtRisk, isOverdue } from "./revenue-at-risk";
import { stagesInView } from "./status-filter";

/**
 * The age fields are optional: the states "what changed" compares do not carry them yet. A
 * deal whose age is unknown is not in a view that filters by age.
 */
export type FilterableDeal = Pick<
  PipelineRow,
  "oppId" | "name" | "customerId" | "customerName" | "churnRisk" | "stage" | "closeDate" | "amount" | "salesOwner"
> &
  Partial<Pick<PipelineRow, "daysInStage" | "pushCount">>;

/**
 * Whether a deal is in a view: the viewer's scope and the view's filters, with the risk
 * filters evaluated on `asOf`. The TypeScript statement of lib/gtm-prisma/pipeline-sql.ts's
 * WHERE clause, for rules computed over history (what changed); tests prove they agree.
 */
export function matchesView(
  deal: FilterableDeal,
  query: PipelineQuery,
  scope: PipelineScope,
  asOf: CalendarDate,
): boolean {
  if (scope.kind === "owners" && !scope.owners.includes(deal.salesOwner)) return false;
  if (query.owners.length > 0 && !query.owners.includes(deal.salesOwner)) return false;
  if (!stagesInView(query).includes(deal.stage)) return false;
  if (!withinCloseWindow(deal.closeDate, query)) return false;
  if (query.minAmount && deal.amount.lessThan(query.minAmount)) return false;
  if (query.maxAmount && deal.amount.greaterThan(query.maxAmount)) return false;
  if (query.risk === "at-risk" && !isAtRisk(deal, deal.churnRisk, asOf)) return false;
  if (query.risk === "overdue" && !isOverdue(deal, asOf)) return false;
  if (query.pushedMin !== undefined && !(deal.pushCount !== undefined && deal.pushCount >= query.pushedMin))
    return false;
  // daysInStage is counted to asOf, so N or more days is the stage beginning before the day after asOf - N (stalledSince).
  if (query.stalledDays !== undefined && !(deal.daysInStage !== undefined && deal.daysInStage >= query.stalledDays))
    return false;
  if (query.q) {
    const needle = query.q.toLowerCase();
    if (
      ![deal.customerName, deal.customerId, deal.oppId, deal.name ?? ""].some((text) =>
        text.toLowerCase().includes(needle),
      )
    )
      return false;
  }
  return true;
}

export function withinCloseWindow(
  closeDate: CalendarDate,
  window: { closeFrom?: CalendarDate; closeTo?: CalendarDate },
): boolean {
  return (!window.closeFrom || closeDate >= window.closeFrom) && (!window.closeTo || closeDate <= window.closeTo);
}
