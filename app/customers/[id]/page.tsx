import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ParamNotice } from "@/app/components/param-notice";
import { RowLink } from "@/app/components/row-link";
import { requireRequestContext } from "@/lib/server/request-context";
import { detailLinkSearch, readPipelineView, type SearchParamsRecord } from "@/lib/dashboard/pipeline-view";
import { dashboardHref } from "@/lib/dashboard/view-search";
import { opportunityStatus } from "@/lib/gtm/revenue-at-risk";
import { OPPORTUNITY_STATUS_LABELS, SALES_STAGE_LABELS } from "@/lib/view/labels";
import { decodeRouteParam } from "@/lib/http/decode-route-param";
import { formatUsd, sumMoney } from "@/lib/money";
import { ChurnRiskTimeline } from "@/app/components/churn-risk-timeline";
import { ownerName } from "@/lib/gtm/owner-names";
import { configuredTimeZone } from "@/lib/today";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParamsRecord> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  return { title: `Customer ${decodeRouteParam((await props.params).id) ?? notFound()} · Pipeline Risk` };
}

export default async function CustomerPage(props: Props) {
  const { id } = await props.params;
  const view = readPipelineView(await props.searchParams, await requireRequestContext(`/customers/${id}`));
  const { asOf } = view.query;
  const { repository } = view;
  const customerId = decodeRouteParam(id) ?? notFound();
  const [customer, open, versions, names] = await Promise.all([
    repository.findCustomer(customerId, asOf),
    repository.getOpenForCustomer(customerId, asOf),
    repository.customerVersions(customerId),
    repository.ownerNames(),
  ]);
  if (!customer) notFound();
  const rows = open.map((opportunity) => ({
    ...opportunity,
    status: opportunityStatus(opportunity, customer.churnRisk, asOf),
  }));
  const atRisk = rows.filter((row) => row.status === "at_risk");
  const linkSearch = detailLinkSearch(view);
  return (
    <article className="detail">
      <p>
        <Link href={dashboardHref(view.returnSearch)}>← Pipeline</Link>
      </p>
      <h1>{customer.name}</h1>
      <ParamNotice issues={view.issues.filter((issue) => issue.param === "asOf")} />
      <p className="muted">
        Customer {customer.customerId} · as of <time dateTime={asOf}>{asOf}</time>
      </p>
      <section className="kpis" aria-label="Customer figures">
        <div className="card kpi">
          <h2 className="kpi-label">Churn risk</h2>
          <p className="kpi-value">
            <span className={`badge badge-${customer.churnRisk} badge-large`}>{customer.churnRisk}</span>
          </p>
        </div>
        <div className="card kpi">
          <h2 className="kpi-label">Open opportunities</h2>
          <p className="kpi-value" data-testid="customer-open">
            {formatUsd(sumMoney(rows.map((row) => row.amount)))}
          </p>
          <p className="kpi-detail">{rows.length} open</p>
        </div>
        <div className="card kpi kpi-risk">
          <h2 className="kpi-label">Revenue at risk</h2>
          <p className="kpi-value" data-testid="customer-at-risk">
            {formatUsd(sumMoney(atRisk.map((row) => row.amount)))}
          </p>
          <p className="kpi-detail">
            {customer.churnRisk === "high" ? `${atRisk.length} not yet due` : "None: churn risk is not high"}
          </p>
        </div>
      </section>
      <section className="card table-card" aria-label="Open opportunities">
        <h2>Open opportunities</h2>
        {rows.length === 0 ? (
          <p className="muted">This customer has no open opportunities.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Opportunity</th>
                  <th scope="col">Deal name</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Close date</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Sales owner</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.oppId}>
                    <td>
                      <RowLink href={`/opportunities/${encodeURIComponent(row.oppId)}${linkSearch}`}>
                        {row.oppId}
                      </RowLink>
                    </td>
                    <td>{row.name ?? <span className="muted">—</span>}</td>
                    <td>{SALES_STAGE_LABELS[row.stage]}</td>
                    <td>{row.closeDate}</td>
                    <td className="num">{formatUsd(row.amount)}</td>
                    <td title={row.salesOwner}>{ownerName(row.salesOwner, names)}</td>
                    <td>
                      <span className={`badge badge-${row.status}`}>{OPPORTUNITY_STATUS_LABELS[row.status]}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ChurnRiskTimeline versions={versions} asOf={asOf} timeZone={configuredTimeZone()} />
    </article>
  );
}
