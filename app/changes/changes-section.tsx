import Decimal from "decimal.js";
import Link from "next/link";
import { RowLink } from "../components/row-link";
import { ShortMoney } from "../components/money";
import { WaterfallChart } from "./waterfall-chart";
import {
  type ChangesView,
  changesHref,
  loadChanges,
  loadChangesOwnerNames,
  loadOwnerChanges,
} from "@/lib/dashboard/changes-view";
import { type OwnerNames, ownerName } from "@/lib/gtm/owner-names";
import type { DealStateJson, OwnerChangesJson } from "@/lib/gtm/changes-wire";
import { formatUsd } from "@/lib/money";
import { CHANGE_KIND_LABELS, waterfallSteps } from "@/lib/view/changes-waterfall";
import { plural } from "@/lib/view/format";
import { SALES_STAGE_LABELS } from "@/lib/view/labels";

const signed = (amount: string) =>
  amount.startsWith("-") || amount === "0.00" ? formatUsd(amount) : `+${formatUsd(amount)}`;

/** A deal's state on one side, with what differs from the other side in bold. */
function DealStateText({
  state,
  other,
  names,
}: {
  state: DealStateJson | null;
  other: DealStateJson | null;
  names: OwnerNames;
}) {
  if (!state) return <span className="muted">Not in the pipeline</span>;
  const changed = (field: keyof DealStateJson) =>
    other !== null && other[field] !== state[field] ? "changed" : undefined;
  return (
    <>
      <span className={changed("stage")}>{SALES_STAGE_LABELS[state.stage]}</span>, closes{" "}
      <span className={changed("closeDate")}>{state.closeDate}</span>,{" "}
      <span className={changed("amount")}>{formatUsd(state.amount)}</span>,{" "}
      <span className={changed("salesOwner")}>{ownerName(state.salesOwner, names)}</span>
    </>
  );
}

export async function ChangesSection({ view }: { view: ChangesView }) {
  const [changes, owners, names] = await Promise.all([
    loadChanges(view),
    loadOwnerChanges(view),
    loadChangesOwnerNames(view),
  ]);
  const hrefs = Object.fromEntries(
    changes.buckets.map((bucket) => [bucket.kind, changesHref(view, { kind: bucket.kind, page: null })]),
  );
  const { kind, page, pageSize } = view.query;
  const totalPages = Math.max(1, Math.ceil((changes.total ?? 0) / pageSize));
  const net = new Decimal(changes.end.amount).minus(changes.start.amount).toFixed(2);
  return (
    <>
      <WaterfallChart steps={waterfallSteps(changes)} hrefs={hrefs} />
      <div className="changes-tables">
        <section className="table-wrap" aria-label="Buckets">
          <table className="data">
            <caption className="sr-only">
              What changed from the end of {changes.from} to the end of {changes.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Bucket</th>
                <th scope="col" className="num">
                  Deals
                </th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Start ({changes.from})</th>
                <td className="num">{changes.start.count}</td>
                <td className="num">{formatUsd(changes.start.amount)}</td>
              </tr>
              {changes.buckets.map((bucket) => (
                <tr key={bucket.kind} aria-current={bucket.kind === kind ? "true" : undefined}>
                  <th scope="row">
                    {bucket.count > 0 ? (
                      <RowLink href={hrefs[bucket.kind]}>{CHANGE_KIND_LABELS[bucket.kind]}</RowLink>
                    ) : (
                      CHANGE_KIND_LABELS[bucket.kind]
                    )}
                  </th>
                  <td className="num">{bucket.count}</td>
                  <td className="num">{signed(bucket.amount)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">End ({changes.to})</th>
                <td className="num">{changes.end.count}</td>
                <td className="num">{formatUsd(changes.end.amount)}</td>
              </tr>
            </tfoot>
          </table>
          <p className="muted small table-note">
            Net change {signed(net)}. Pushed (still in the view, closing later): {plural(changes.pushed.count, "deal")},{" "}
            {formatUsd(changes.pushed.amount)}.
          </p>
        </section>
        {owners && <OwnerChangesTable view={view} owners={owners} names={names} />}
      </div>
      {kind && changes.data && (
        <section id="deals" className="changed-deals" aria-label={`${CHANGE_KIND_LABELS[kind]} deals`}>
          <h2>
            {CHANGE_KIND_LABELS[kind]}: {plural(changes.total ?? 0, "deal")}
          </h2>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Deal</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Sales owner</th>
                  <th scope="col">End of {changes.from}</th>
                  <th scope="col">End of {changes.to}</th>
                </tr>
              </thead>
              <tbody>
                {changes.data.map((deal) => (
                  <tr key={deal.oppId}>
                    <td>
                      <RowLink href={`/opportunities/${encodeURIComponent(deal.oppId)}`}>
                        {deal.name ?? deal.oppId}
                      </RowLink>
                    </td>
                    <td className="wrap">{deal.customerName}</td>
                    <td title={deal.salesOwner}>{ownerName(deal.salesOwner, names)}</td>
                    <td className="wrap">
                      <DealStateText state={deal.before} other={deal.after} names={names} />
                    </td>
                    <td className="wrap">
                      <DealStateText state={deal.after} other={deal.before} names={names} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pages" className="export-links">
            {/* Another page of the list opens at the list, not at the top of the page. */}
            {page > 1 && (
              <Link href={`${changesHref(view, { page: String(page - 1) })}#deals`}>Previous</Link>
            )} Page {page} of {totalPages}{" "}
            {page < totalPages && <Link href={`${changesHref(view, { page: String(page + 1) })}#deals`}>Next</Link>} ·
            Export {plural(changes.total ?? 0, "deal")}:{" "}
            <a href={`/api/${changesHref(view, { page: null, format: "csv" }).slice(1)}`} download>
              CSV
            </a>{" "}
            |{" "}
            <a href={`/api/${changesHref(view, { page: null, format: "xlsx" }).slice(1)}`} download>
              Excel
            </a>
          </nav>
        </section>
      )}
    </>
  );
}

/** A manager's per-rep rows: who moved the team's number, biggest drop first. */
function OwnerChangesTable({
  view,
  owners,
  names,
}: {
  view: ChangesView;
  owners: OwnerChangesJson[];
  names: OwnerNames;
}) {
  const rows = [...owners].sort((a, b) => new Decimal(a.net).comparedTo(b.net) || (a.owner < b.owner ? -1 : 1));
  return (
    <section className="table-wrap" aria-label="By rep">
      <table className="data">
        <caption className="table-caption">By rep</caption>
        <thead>
          <tr>
            <th scope="col">Rep</th>
            <th scope="col" className="num">
              Start
            </th>
            <th scope="col" className="num">
              Net change
            </th>
            <th scope="col" className="num">
              End
            </th>
            <th scope="col">Largest change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.owner}>
              <th scope="row">
                <RowLink
                  href={changesHref(
                    { ...view, filters: withOwner(view.filters, row.owner) },
                    { kind: null, page: null },
                  )}
                >
                  {ownerName(row.owner, names)}
                </RowLink>
              </th>
              <td className="num">
                <ShortMoney amount={row.start.amount} />
              </td>
              <td className={`num ${row.net.startsWith("-") ? "down" : row.net === "0.00" ? "" : "up"}`}>
                {signed(row.net)}
              </td>
              <td className="num">
                <ShortMoney amount={row.end.amount} />
              </td>
              <td>
                {row.largest
                  ? `${CHANGE_KIND_LABELS[row.largest.kind]} ${signed(row.largest.amount)} (${plural(row.largest.count, "deal")})`
                  : "No change"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function withOwner(filters: URLSearchParams, owner: string): URLSearchParams {
  const params = new URLSearchParams(filters);
  params.delete("owner");
  params.set("owner", owner);
  return params;
}
