import { CLOSED_STAGES, isOpen, OPEN_STAGES, SALES_STAGES, type SalesStage } from "./sales-stage";

/**
 * A view's `status` filter: which deals by where they ended up. The open pipeline is the
 * default view, so a table's total is the Open pipeline figure.
 */
export const STATUS_FILTERS = ["open", "won", "lost", "closed", "all"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const STATUS_FILTER_STAGES: Record<StatusFilter, readonly SalesStage[]> = {
  open: OPEN_STAGES,
  won: ["closed_won"],
  lost: ["closed_lost"],
  closed: CLOSED_STAGES,
  all: SALES_STAGES,
};

/**
 * The status of a view that does not name one: the open pipeline, unless the view picks a
 * closed stage; then every deal of the picked stages (`stage=closed_won` lists the won deals,
 * not nothing). Either way, without a status the picked stages alone decide. A status that is
 * given always applies, together with the stages.
 */
export function defaultStatusFilter(stages: readonly SalesStage[]): StatusFilter {
  return stages.some((stage) => CLOSED_STAGES.includes(stage)) ? "all" : "open";
}

/**
 * THE stages a view selects: its status's stages, narrowed to the stages it picks. Both the
 * TypeScript predicate (pipeline-filter.ts) and the SQL (pipeline-sql.ts) filter by this, and
 * the page shows the figures (open, won, lost) of these stages.
 */
export function stagesInView(view: { status: StatusFilter; stages: readonly SalesStage[] }): SalesStage[] {
  const byStatus = STATUS_FILTER_STAGES[view.status];
  return view.stages.length === 0 ? [...byStatus] : byStatus.filter((stage) => view.stages.includes(stage));
}

/**
 * Which figures a view can have, so the page and the files show those and no others: the open
 * pipeline's (open, at risk, overdue) when it takes an open stage; won and lost when it takes them.
 */
export function figuresInView(view: { status: StatusFilter; stages: readonly SalesStage[] }): {
  open: boolean;
  won: boolean;
  lost: boolean;
} {
  const stages = stagesInView(view);
  return { open: stages.some(isOpen), won: stages.includes("closed_won"), lost: stages.includes("closed_lost") };
}
