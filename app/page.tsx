import { getOpportunityRepository } from "@/lib/db/server";
import { parsePipelineQuery } from "@/lib/gtm/pipeline-query";
import { OPPORTUNITY_STATUS_LABELS } from "@/lib/gtm/revenue-at-risk";
import { SALES_STAGE_LABELS } from "@/lib/gtm/sales-stage";
import { formatUsd } from "@/lib/money";
import { today } from "@/lib/today";

export default async function DashboardPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { query } = parsePipelineQuery(toUrlSearchParams(await props.searchParams), today());
  const repository = await getOpportunityRepository();
  const [summary, page] = await Promise.all([repository.summarize(query), repository.search(query)]);
  const { totals } = summary;
  return (
    <>
      <h1>Pipeline</h1>
      <section className="kpis" aria-label="Headline figures">
        <div className="card">
          <p className="kpi-label">Open pipeline</p>
          <p className="kpi-value" data-testid="kpi-open">{formatUsd(totals.openPipeline)}</p>
          <p className="kpi-detail">{totals.openCount} open opportunities</p>
        </div>
        <div className="card kpi-risk">
          <p className="kpi-label">Revenue at risk</p>
          <p className="kpi-value" data-testid="kpi-at-risk">{formatUsd(totals.atRisk)}</p>
          <p className="kpi-detail">{totals.atRiskCount} opportunities</p>
        </div>
        <div className="card kpi-overdue">
          <p className="kpi-label">Overdue</p>
          <p className="kpi-value" data-testid="kpi-overdue">{formatUsd(totals.overdue)}</p>
          <p className="kpi-detail">{totals.overdueCount} opportunities</p>
        </div>
      </section>
      <div className="table-wrap">
        <table className="data">
          <caption className="muted">{page.total} opportunities as of {summary.asOf}</caption>
          <thead>
            <tr>
              <th scope="col">Opportunity</th>
              <th scope="col">Customer</th>
              <th scope="col">Stage</th>
              <th scope="col">Close date</th>
              <th scope="col" className="num">Amount</th>
              <th scope="col">Owner</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((row) => (
              <tr key={row.oppId}>
                <td>{row.oppId}</td>
                <td>{row.customerName}</td>
                <td>{SALES_STAGE_LABELS[row.stage]}</td>
                <td>{row.closeDate}</td>
                <td className="num">{formatUsd(row.amount)}</td>
                <td>{row.salesOwner}</td>
                <td><span className={`badge badge-${row.status}`}>{OPPORTUNITY_STATUS_LABELS[row.status]}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function toUrlSearchParams(record: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, item);
  }
  return params;
}
