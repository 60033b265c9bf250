"use client";

import { type ColumnDef, flexRender, getCoreRowModel, type SortingState, useReactTable } from "@tanstack/react-table";
import { RowLink } from "./row-link";
import { useEffect, useMemo, useState } from "react";
import type { FilterDescription } from "@/lib/dashboard/describe-filters";
import type { PipelineRowText } from "@/lib/gtm/pipeline-wire";
import { type OwnerNames, ownerName } from "@/lib/gtm/owner-names";
import { columnLabel, PIPELINE_COLUMNS, type PipelineColumnId } from "@/lib/gtm/pipeline-columns";
import { type PipelineSort, SORT_COLUMNS, type SortColumn } from "@/lib/gtm/pipeline-query";
import { OPPORTUNITY_STATUS_LABELS, SALES_STAGE_LABELS } from "@/lib/view/labels";
import { formatUsd } from "@/lib/money";
import { formatCount, plural } from "@/lib/view/format";
import { ExportButton } from "./export-button";
import { EmptyState, Pagination, PhoneSort } from "./pipeline-table-parts";
import { useHydrated } from "./use-hydrated";
import { useUrlState } from "./use-url-state";

export interface PipelineTableProps {
  rows: PipelineRowText[];
  /** Display names of the rows' sales owners (the cell shows the name, its title the id). */
  ownerNames: OwnerNames;
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
  sort: PipelineSort;
  columns: PipelineColumnId[];
  totalAmount: string;
  /** Query string carrying a non-default asOf to detail pages ("" or "?asOf=..."). */
  detailSearch: string;
  activeFilters: FilterDescription[];
  /** The view's canonical URL parameters, for the export links. */
  search: string;
}

const SORTABLE = new Set<string>(SORT_COLUMNS);
const NUMERIC = new Set<string>(["amount", "daysInStage", "pushCount"]);

type CellRenderers = Record<PipelineColumnId, (row: PipelineRowText) => React.ReactNode>;

function cellRenderers(detailSearch: string, names: OwnerNames): CellRenderers {
  return {
    oppId: (row) => (
      <RowLink href={`/opportunities/${encodeURIComponent(row.oppId)}${detailSearch}`}>{row.oppId}</RowLink>
    ),
    name: (row) => (row.name === null ? <span className="muted">—</span> : <span title={row.name}>{row.name}</span>),
    customerName: (row) => (
      <RowLink href={`/customers/${encodeURIComponent(row.customerId)}${detailSearch}`}>{row.customerName}</RowLink>
    ),
    customerId: (row) => row.customerId,
    churnRisk: (row) => <span className={`badge badge-${row.churnRisk}`}>{row.churnRisk}</span>,
    stage: (row) => SALES_STAGE_LABELS[row.stage],
    closeDate: (row) => row.closeDate,
    amount: (row) => formatUsd(row.amount),
    salesOwner: (row) => <span title={row.salesOwner}>{ownerName(row.salesOwner, names)}</span>,
    status: (row) => <span className={`badge badge-${row.status}`}>{OPPORTUNITY_STATUS_LABELS[row.status]}</span>,
    firstSeen: (row) => row.firstSeen,
    daysInStage: (row) => formatCount(row.daysInStage),
    pushCount: (row) => formatCount(row.pushCount),
  };
}

/** The shown columns only, in their order. */
function columnDefs(shown: PipelineColumnId[]): ColumnDef<PipelineRowText>[] {
  return shown.map((id) => ({ id, header: columnLabel(id) }));
}

export function PipelineTable(props: PipelineTableProps) {
  const { update, hrefWith, pending } = useUrlState();
  const sorting: SortingState = [{ id: props.sort.column, desc: props.sort.direction === "desc" }];
  const columns = useMemo(() => columnDefs(props.columns), [props.columns]);
  const cells = useMemo(
    () => cellRenderers(props.detailSearch, props.ownerNames),
    [props.detailSearch, props.ownerNames],
  );
  const table = useReactTable({
    data: props.rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    pageCount: props.totalPages,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first) update({ sort: `${first.id}.${first.desc ? "desc" : "asc"}` });
    },
  });

  const toggleSort = (id: string) => {
    const direction =
      props.sort.column === id ? (props.sort.direction === "asc" ? "desc" : "asc") : NUMERIC.has(id) ? "desc" : "asc";
    table.setSorting([{ id: id as SortColumn, desc: direction === "desc" }]);
  };
  const hydrated = useHydrated();
  const [shownColumns, setShownColumns] = useState(props.columns);
  useEffect(() => setShownColumns(props.columns), [props.columns]);
  const toggleColumn = (id: PipelineColumnId, visible: boolean) => {
    const next = visible ? [...shownColumns, id] : shownColumns.filter((column) => column !== id);
    if (next.length === 0) return;
    setShownColumns(next);
    update({ columns: next.join(",") }, { keepPage: true });
  };

  const visible = table.getVisibleLeafColumns();
  const amountIndex = visible.findIndex((column) => column.id === "amount");
  const firstRow = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const lastRow = Math.min(props.total, props.page * props.pageSize);

  return (
    <section
      className="card table-card"
      aria-label="Opportunities"
      aria-busy={pending}
      data-hydrated={hydrated || undefined}
    >
      <div className="table-toolbar">
        <h2>Opportunities</h2>
        <p className="muted" aria-live="polite">
          {props.total === 0
            ? "No rows"
            : `Rows ${formatCount(firstRow)}–${formatCount(lastRow)} of ${formatCount(props.total)}`}
        </p>
        <PhoneSort sort={props.sort} onSort={(sort) => update({ sort: sort === "amount.desc" ? undefined : sort })} />
        <ExportButton search={props.search} total={props.total} />
        <details className="columns-menu">
          <summary>Columns</summary>
          <div className="multi-select-panel" role="group" aria-label="Visible columns">
            <ul>
              {PIPELINE_COLUMNS.map((column) => (
                <li key={column.id}>
                  <label>
                    <input
                      type="checkbox"
                      checked={shownColumns.includes(column.id)}
                      disabled={shownColumns.length === 1 && shownColumns[0] === column.id}
                      onChange={(event) => toggleColumn(column.id, event.target.checked)}
                    />
                    {column.label}
                  </label>
                </li>
              ))}
            </ul>
          </div>
        </details>
      </div>
      <div className="table-wrap">
        <table className="data pipeline-table">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted =
                    props.sort.column === header.id
                      ? props.sort.direction === "asc"
                        ? "ascending"
                        : "descending"
                      : undefined;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted ?? "none"}
                      className={NUMERIC.has(header.id) ? "num" : undefined}
                    >
                      {SORTABLE.has(header.id) ? (
                        <button type="button" className="sort-button" onClick={() => toggleSort(header.id)}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden="true" className="sort-indicator">
                            {sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {/* Straight from the rows: TanStack's row model would build a row and a cell object, each
                with every feature's methods, for each of the page's hundreds of cells on every view. */}
            {props.rows.map((row) => (
              <tr key={row.oppId}>
                {visible.map((column) => (
                  <td key={column.id} className={NUMERIC.has(column.id) ? "num" : undefined} data-column={column.id}>
                    {cells[column.id as PipelineColumnId](row)}
                  </td>
                ))}
              </tr>
            ))}
            {props.total === 0 && (
              <tr>
                <td colSpan={visible.length} className="empty-state">
                  <EmptyState filters={props.activeFilters} hrefWith={hrefWith} />
                </td>
              </tr>
            )}
          </tbody>
          <tfoot>
            <tr aria-label="Totals for all filtered opportunities">
              {visible.map((column, index) => (
                <td
                  key={column.id}
                  className={index === amountIndex ? "num" : undefined}
                  data-column={index === 0 ? "total-label" : index === amountIndex ? "total-amount" : "total-blank"}
                >
                  {index === 0 ? (
                    `Total: ${plural(props.total, "opportunity", "opportunities")}`
                  ) : index === amountIndex ? (
                    <span data-testid="total-amount">{formatUsd(props.totalAmount)}</span>
                  ) : null}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <Pagination
        page={props.page}
        totalPages={props.totalPages}
        pageSize={props.pageSize}
        hrefWith={hrefWith}
        onPageSize={(pageSize) => update({ pageSize })}
      />
    </section>
  );
}
