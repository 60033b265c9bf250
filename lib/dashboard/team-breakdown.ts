import { type OwnerNames, ownerName } from "../gtm/owner-names";
import type { PipelineSummary } from "../gtm/pipeline-summary";
import { toMoneyString } from "../money";
import { dashboardHref } from "./view-search";

/** One line of a manager's team breakdown; amounts as exact decimal strings. */
export interface TeamLine {
  owner: string;
  /** What the screen calls the owner (ownerName). */
  name: string;
  open: string;
  openCount: number;
  atRisk: string;
  atRiskCount: number;
  overdue: string;
  overdueCount: number;
}

export interface TeamBreakdownModel {
  /** Each rep with open pipeline in the view, and the link to the view narrowed to them. */
  reps: (TeamLine & { href: string })[];
  /** The view's totals (the KPI cards' figures): the reps' lines add up to it exactly. */
  total: Omit<TeamLine, "owner" | "name">;
}

/** The team breakdown of a view: each rep's link keeps the view's other filters and starts at page 1. */
export function teamBreakdown(summary: PipelineSummary, viewSearch: string, names: OwnerNames): TeamBreakdownModel {
  const hrefFor = (owner: string) => {
    const params = new URLSearchParams(viewSearch);
    params.set("owner", owner);
    params.delete("page");
    return dashboardHref(params.toString());
  };
  const { totals } = summary;
  return {
    reps: summary.byOwner.map((rep) => ({
      owner: rep.owner,
      name: ownerName(rep.owner, names),
      href: hrefFor(rep.owner),
      open: toMoneyString(rep.open),
      openCount: rep.openCount,
      atRisk: toMoneyString(rep.atRisk),
      atRiskCount: rep.atRiskCount,
      overdue: toMoneyString(rep.overdue),
      overdueCount: rep.overdueCount,
    })),
    total: {
      open: toMoneyString(totals.openPipeline),
      openCount: totals.openCount,
      atRisk: toMoneyString(totals.atRisk),
      atRiskCount: totals.atRiskCount,
      overdue: toMoneyString(totals.overdue),
      overdueCount: totals.overdueCount,
    },
  };
}
