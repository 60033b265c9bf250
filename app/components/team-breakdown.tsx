import { loadOwnerNames, loadSummary, type PipelineView } from "@/lib/dashboard/pipeline-view";
import { teamBreakdown } from "@/lib/dashboard/team-breakdown";
import { TeamTable } from "./team-table";

/** A manager's per-rep view of the filtered set: open pipeline, revenue at risk and overdue by sales owner. */
export async function TeamBreakdown({ view }: { view: PipelineView }) {
  const [summary, names] = await Promise.all([loadSummary(view), loadOwnerNames(view)]);
  return <TeamTable model={teamBreakdown(summary, view.search, names)} />;
}
