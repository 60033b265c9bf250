import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ParamNotice } from "../components/param-notice";
import { TableSkeleton } from "../components/skeletons";
import { ChangesSection } from "./changes-section";
import { changesHref, changesPresets, loadChangesOwnerNames, readChangesView } from "@/lib/dashboard/changes-view";
import { describeFilters } from "@/lib/dashboard/describe-filters";
import type { SearchParamsRecord } from "@/lib/dashboard/pipeline-view";
import { requireChangesContext } from "@/lib/server/request-context";

export const metadata: Metadata = { title: "What changed · Pipeline Risk" };

export default async function ChangesPage(props: { searchParams: Promise<SearchParamsRecord> }) {
  const view = await readChangesView(await props.searchParams, await requireChangesContext("/changes"));
  const { from, to } = view.query;
  const filters = [...view.filters.entries()];
  const described = describeFilters(view.query.query, view.today, await loadChangesOwnerNames(view));
  return (
    <>
      <div className="page-title">
        <h1>What changed</h1>
        <p className="muted">
          From the end of <time dateTime={from}>{from}</time> to the end of <time dateTime={to}>{to}</time>
          {filters.length > 0 && (
            <>
              {" "}
              · <span data-testid="changes-filters">{described.map((filter) => filter.text).join(" · ")}</span> ·{" "}
              <Link href={`/?${view.filters.toString()}`}>these filters on the dashboard</Link>
            </>
          )}
        </p>
      </div>
      <ParamNotice issues={view.issues} />
      <nav className="filter-bar" aria-label="Period">
        {changesPresets(view.today).map((preset) => (
          <Link
            key={preset.label}
            className="link-button"
            href={changesHref(view, { from: preset.from, to: preset.to, kind: null, page: null })}
            aria-current={preset.from === from && preset.to === to ? "true" : undefined}
          >
            {preset.label}
          </Link>
        ))}
        <form action="/changes" method="get">
          {filters.map(([param, value], index) => (
            <input key={index} type="hidden" name={param} value={value} />
          ))}
          <label>
            From <input type="date" name="from" defaultValue={from} required />
          </label>{" "}
          <label>
            To <input type="date" name="to" defaultValue={to} required />
          </label>{" "}
          <button type="submit">Compare</button>
        </form>
      </nav>
      <Suspense key={changesHref(view, {})} fallback={<TableSkeleton label="Loading the changes" />}>
        <ChangesSection view={view} />
      </Suspense>
    </>
  );
}
