import Link from "next/link";
import { loadSummary, type PipelineView } from "@/lib/dashboard/pipeline-view";
import { formatUsd } from "@/lib/money";

/** A manager's per-rep view of the filtered set: open pipeline and revenue at risk by sales owner. */
export async function TeamBreakdown({ view }: { view: PipelineView }) {
  const { byOwner } = await loadSummary(view);
  const owners = [...byOwner].sort((a, b) => a.owner.localeCompare(b.owner));
  return (
    <section className="card table-card team-breakdown" aria-label="Team breakdown">
      <div className="table-toolbar"><h2>Team breakdown</h2><p className="muted">Open pipeline per rep in this view.</p></div>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr><th scope="col">Sales owner</th><th scope="col" className="num">Open pipeline</th><th scope="col" className="num">Revenue at risk</th><th scope="col" className="num">At-risk deals</th></tr>
          </thead>
          <tbody>
            {owners.length === 0 && <tr><td colSpan={4} className="muted">No open pipeline in this view.</td></tr>}
            {owners.map((owner) => (
              <tr key={owner.owner}>
                <td><Link href={`/?owner=${encodeURIComponent(owner.owner)}`}>{owner.owner}</Link></td>
                <td className="num">{formatUsd(owner.open)}</td>
                <td className="num">{formatUsd(owner.atRisk)}</td>
                <td className="num">{owner.atRiskCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
