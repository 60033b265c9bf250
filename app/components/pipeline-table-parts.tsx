"use client";

import Link from "next/link";
import type { FilterDescription } from "@/lib/dashboard/describe-filters";
import type { PipelineSort } from "@/lib/gtm/pipeline-query";
import { formatCount } from "@/lib/view/format";
import type { useUrlState } from "./use-url-state";

type HrefWith = ReturnType<typeof useUrlState>["hrefWith"];

const PAGE_SIZES = [25, 50, 100, 200];

export function Pagination(props: {
  page: number;
  totalPages: number;
  pageSize: number;
  hrefWith: HrefWith;
  onPageSize: (size: string | undefined) => void;
}) {
  const { page, totalPages, pageSize } = props;
  const pageHref = (target: number) =>
    props.hrefWith({ page: target === 1 ? undefined : String(target) }, { keepPage: true });
  return (
    <nav className="pagination" aria-label="Pagination">
      <div className="pagination-links">
        <PageLink href={pageHref(1)} disabled={page <= 1} label="First page">
          «
        </PageLink>
        <PageLink href={pageHref(page - 1)} disabled={page <= 1} label="Previous page">
          ‹ Previous
        </PageLink>
        <span>
          Page {formatCount(page)} of {formatCount(totalPages)}
        </span>
        <PageLink href={pageHref(page + 1)} disabled={page >= totalPages} label="Next page">
          Next ›
        </PageLink>
        <PageLink href={pageHref(totalPages)} disabled={page >= totalPages} label="Last page">
          »
        </PageLink>
      </div>
      <label className="page-size">
        Rows per page
        <select
          value={PAGE_SIZES.includes(pageSize) ? pageSize : ""}
          onChange={(event) => props.onPageSize(event.target.value === "50" ? undefined : event.target.value)}
        >
          {!PAGE_SIZES.includes(pageSize) && <option value="">{pageSize}</option>}
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}

function PageLink({
  href,
  disabled,
  label,
  children,
}: {
  href: string;
  disabled: boolean;
  label: string;
  children: React.ReactNode;
}) {
  if (disabled)
    return (
      <span className="page-link disabled" aria-disabled="true" aria-label={label}>
        {children}
      </span>
    );
  return (
    <Link className="page-link" href={href} aria-label={label} scroll={false}>
      {children}
    </Link>
  );
}

/** The sorts a phone offers in place of the column headers (which the card list does not show). */
const PHONE_SORTS: { value: string; label: string }[] = [
  { value: "amount.desc", label: "Largest amount first" },
  { value: "amount.asc", label: "Smallest amount first" },
  { value: "closeDate.asc", label: "Closing soonest first" },
  { value: "closeDate.desc", label: "Closing latest first" },
  { value: "status.asc", label: "Most urgent status first" },
  { value: "customerName.asc", label: "Customer A to Z" },
];

export function PhoneSort({ sort, onSort }: { sort: PipelineSort; onSort: (sort: string) => void }) {
  const current = `${sort.column}.${sort.direction}`;
  return (
    <label className="phone-sort">
      Sort
      <select value={current} onChange={(event) => onSort(event.target.value)}>
        {!PHONE_SORTS.some((option) => option.value === current) && <option value={current}>{current}</option>}
        {PHONE_SORTS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function EmptyState({ filters, hrefWith }: { filters: FilterDescription[]; hrefWith: HrefWith }) {
  // No filter at all is the default view: the open pipeline.
  if (filters.length === 0) {
    return (
      <p>
        There are no open opportunities. <Link href={hrefWith({ status: "all" })}>Show closed deals too</Link>, or add
        opportunities: import some (see the README) or load the demo data.
      </p>
    );
  }
  return (
    <div>
      <p>
        <strong>No opportunities match all of these filters:</strong>
      </p>
      <ul>
        {filters.map((filter) => (
          <li key={filter.params.join()}>
            {filter.text}{" "}
            <Link href={hrefWith(Object.fromEntries(filter.params.map((param) => [param, undefined])))}>Remove</Link>
          </li>
        ))}
      </ul>
      <Link href="/">Clear all filters</Link>
    </div>
  );
}
