import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ParamNotice } from "@/app/components/param-notice";
import { requireRequestContext } from "@/lib/server/request-context";
import { detailLinkSearch, readPipelineView, type SearchParamsRecord } from "@/lib/dashboard/pipeline-view";
import { dashboardHref } from "@/lib/dashboard/view-search";
import { explainStatus, OPPORTUNITY_STATUS_LABELS, SALES_STAGE_LABELS } from "@/lib/view/labels";
import { decodeRouteParam } from "@/lib/http/decode-route-param";
import { formatUsd } from "@/lib/money";
import { DealTimeline } from "@/app/components/deal-timeline";
import { ownerNameAndId } from "@/lib/gtm/owner-names";
import { configuredTimeZone } from "@/lib/today";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParamsRecord> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  return { title: `Opportunity ${decodeRouteParam((await props.params).id) ?? notFound()} · Pipeline Risk` };
}

export default async function OpportunityPage(props: Props) {
  const { id } = await props.params;
  const view = readPipelineView(await props.searchParams, await requireRequestContext(`/opportunities/${id}`));
  const asOf = view.query.asOf;
  const oppId = decodeRouteParam(id) ?? notFound();
  const [opportunity, versions, names] = await Promise.all([
    view.repository.findOpportunity(oppId, asOf),
    view.repository.opportunityVersions(oppId),
    view.repository.ownerNames(),
  ]);
  if (!opportunity) notFound();
  const linkSearch = detailLinkSearch(view);
  return (
    <article className="detail">
      <p>
        <Link href={dashboardHref(view.returnSearch)}>← Pipeline</Link>
      </p>
      <h1>{opportunity.name ?? `Opportunity ${opportunity.oppId}`}</h1>
      {opportunity.name !== null && <p className="muted">Opportunity {opportunity.oppId}</p>}
      <ParamNotice issues={view.issues.filter((issue) => issue.param === "asOf")} />
      <p className={`status-explanation status-${opportunity.status}`} data-testid="status-explanation">
        <span className={`badge badge-${opportunity.status}`}>{OPPORTUNITY_STATUS_LABELS[opportunity.status]}</span>{" "}
        {explainStatus(opportunity, opportunity.churnRisk, asOf)}
      </p>
      <dl className="card facts">
        <dt>Customer</dt>
        <dd>
          <Link href={`/customers/${encodeURIComponent(opportunity.customerId)}${linkSearch}`}>
            {opportunity.customerName}
          </Link>{" "}
          <span className="muted">({opportunity.customerId})</span>
        </dd>
        <dt>Customer churn risk</dt>
        <dd>
          <span className={`badge badge-${opportunity.churnRisk}`}>{opportunity.churnRisk}</span>
        </dd>
        <dt>Stage</dt>
        <dd>{SALES_STAGE_LABELS[opportunity.stage]}</dd>
        <dt>Close date</dt>
        <dd>
          <time dateTime={opportunity.closeDate}>{opportunity.closeDate}</time>
        </dd>
        <dt>Amount</dt>
        <dd className="num-inline">{formatUsd(opportunity.amount)}</dd>
        <dt>Sales owner</dt>
        <dd>
          <Link href={`/?owner=${encodeURIComponent(opportunity.salesOwner)}`}>
            {ownerNameAndId(opportunity.salesOwner, names)}
          </Link>
        </dd>
        <dt>Status as of</dt>
        <dd>
          <time dateTime={asOf}>{asOf}</time>
        </dd>
      </dl>
      <DealTimeline versions={versions} timeZone={configuredTimeZone()} ownerNames={names} />
    </article>
  );
}
