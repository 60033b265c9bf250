import Link from "next/link";
import { WaterfallChart } from "./waterfall-chart";
import { type ChangesView, changesHref, loadChanges } from "@/lib/dashboard/changes-view";
import type { DealStateJson } from "@/lib/gtm/changes-wire";
import { formatUsd } from "@/lib/money";
import { CHANGE_KIND_LABELS, waterfallSteps } from "@/lib/view/changes-waterfall";
import { SALES_STAGE_LABELS } from "@/lib/view/labels";

const stateText = (state: DealStateJson | null) => (state ? `${SALES_STAGE_LABELS[state.stage]}, closes ${state.closeDate}, ${formatUsd(state.amount)}, ${state.salesOwner}` : "—");

export async function ChangesSection({ view }: { view: ChangesView }) {
  const changes = await loadChanges(view);
  const hrefs = Object.fromEntries(changes.buckets.map((bucket) => [bucket.kind, changesHref(view, { kind: bucket.kind, page: null })]));
  const { kind, page, pageSize } = view.query;
  const totalPages = Math.max(1, Math.ceil((changes.total ?? 0) / pageSize));
  return (
    <>
      <WaterfallChart steps={waterfallSteps(changes)} hrefs={hrefs} />
      <table className="card data-table">
        <caption>What changed from the end of {changes.from} to the end of {changes.to}</caption>
        <thead>
          <tr>
            <th scope="col">Bucket</th>
            <th scope="col">Deals</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Start</th>
            <td>{changes.start.count}</td>
            <td>{formatUsd(changes.start.amount)}</td>
          </tr>
          {changes.buckets.map((bucket) => (
            <tr key={bucket.kind} aria-current={bucket.kind === kind ? "true" : undefined}>
              <th scope="row">
                <Link href={hrefs[bucket.kind]}>{CHANGE_KIND_LABELS[bucket.kind]}</Link>
              </th>
              <td>{bucket.count}</td>
              <td>{formatUsd(bucket.amount)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">End</th>
            <td>{changes.end.count}</td>
            <td>{formatUsd(changes.end.amount)}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">
        Pushed (still in the view, closing later): {changes.pushed.count} deals, {formatUsd(changes.pushed.amount)}.
      </p>
      {kind && changes.data && (
        <section aria-label={`${CHANGE_KIND_LABELS[kind]} deals`}>
          <h2>
            {CHANGE_KIND_LABELS[kind]}: {changes.total} deals
          </h2>
          <table className="card data-table">
            <thead>
              <tr>
                <th scope="col">Deal</th>
                <th scope="col">Customer</th>
                <th scope="col">Sales owner</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {changes.data.map((deal) => (
                <tr key={deal.oppId}>
                  <td>
                    <Link href={`/opportunities/${encodeURIComponent(deal.oppId)}`}>{deal.name ?? deal.oppId}</Link>
                  </td>
                  <td>{deal.customerName}</td>
                  <td>{deal.salesOwner}</td>
                  <td>{stateText(deal.before)}</td>
                  <td>→ {stateText(deal.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" className="export-links">
            {page > 1 && <Link href={changesHref(view, { page: String(page - 1) })}>Previous</Link>} Page {page} of {totalPages}{" "}
            {page < totalPages && <Link href={changesHref(view, { page: String(page + 1) })}>Next</Link>}{" "}
            <a className="link-button" href={`/api/${changesHref(view, { page: null, format: "csv" }).slice(1)}`} download>
              Export CSV
            </a>
          </nav>
        </section>
      )}
    </>
  );
}
