import type { CalendarDate } from "../gtm/calendar-date";
import { type OwnerNames, ownerName } from "../gtm/owner-names";
import type { PipelineQuery } from "../gtm/pipeline-query";
import { defaultStatusFilter } from "../gtm/status-filter";
import { SALES_STAGE_LABELS, STATUS_FILTER_LABELS } from "../view/labels";
import { formatUsd } from "../money";

export interface FilterDescription {
  /** The URL parameters that make up this filter (removing them removes it). */
  params: string[];
  text: string;
}

const list = (values: string[]) =>
  values.length <= 2 ? values.join(" or ") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;

/** The active filters of a query in words (owners by their display names), for the chips and the empty state. */
export function describeFilters(
  query: PipelineQuery,
  today: CalendarDate,
  names: OwnerNames = {},
): FilterDescription[] {
  const filters: FilterDescription[] = [];
  if (query.owners.length)
    filters.push({ params: ["owner"], text: `Owner is ${list(query.owners.map((owner) => ownerName(owner, names)))}` });
  if (query.stages.length)
    filters.push({
      params: ["stage"],
      text: `Stage is ${list(query.stages.map((stage) => SALES_STAGE_LABELS[stage]))}`,
    });
  // The default status (the open pipeline) is the view itself, not a filter someone set.
  if (query.status !== defaultStatusFilter(query.stages))
    filters.push({ params: ["status"], text: `Status: ${STATUS_FILTER_LABELS[query.status]}` });
  if (query.closeFrom || query.closeTo) {
    const text =
      query.closeFrom && query.closeTo
        ? `between ${query.closeFrom} and ${query.closeTo}`
        : query.closeFrom
          ? `on or after ${query.closeFrom}`
          : `on or before ${query.closeTo}`;
    filters.push({ params: ["closeFrom", "closeTo"], text: `Close date ${text}` });
  }
  if (query.minAmount || query.maxAmount) {
    const text =
      query.minAmount && query.maxAmount
        ? `between ${formatUsd(query.minAmount)} and ${formatUsd(query.maxAmount)}`
        : query.minAmount
          ? `at least ${formatUsd(query.minAmount)}`
          : `at most ${formatUsd(query.maxAmount!)}`;
    filters.push({ params: ["minAmount", "maxAmount"], text: `Amount ${text}` });
  }
  if (query.risk)
    filters.push({ params: ["risk"], text: query.risk === "at-risk" ? "Only revenue at risk" : "Only overdue" });
  if (query.pushedMin !== undefined)
    filters.push({
      params: ["pushedMin"],
      text: `Close date pushed at least ${query.pushedMin} ${query.pushedMin === 1 ? "time" : "times"}`,
    });
  if (query.stalledDays !== undefined)
    filters.push({
      params: ["stalledDays"],
      text: `In its stage at least ${query.stalledDays} ${query.stalledDays === 1 ? "day" : "days"}`,
    });
  if (query.q) filters.push({ params: ["q"], text: `Search matches “${query.q}”` });
  if (query.asOf !== today) filters.push({ params: ["asOf"], text: `As of ${query.asOf}` });
  return filters;
}
