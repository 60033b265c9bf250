"use client";

import Decimal from "decimal.js";
import { RowLink } from "./row-link";
import { useState } from "react";
import type { TeamBreakdownModel, TeamLine } from "@/lib/dashboard/team-breakdown";
import { formatUsd } from "@/lib/money";
import { formatCount, plural } from "@/lib/view/format";

type Column = "owner" | "open" | "openCount" | "atRisk" | "atRiskCount" | "overdue" | "overdueCount";

const COLUMNS: { id: Column; label: string; money?: boolean; count?: boolean; area: string }[] = [
  { id: "owner", label: "Sales owner", area: "owner" },
  { id: "open", label: "Open pipeline", money: true, area: "open" },
  { id: "openCount", label: "Open deals", count: true, area: "open-n" },
  { id: "atRisk", label: "Revenue at risk", money: true, area: "risk" },
  { id: "atRiskCount", label: "At-risk deals", count: true, area: "risk-n" },
  { id: "overdue", label: "Overdue", money: true, area: "overdue" },
  { id: "overdueCount", label: "Overdue deals", count: true, area: "overdue-n" },
];

function compare(a: TeamLine, b: TeamLine, column: Column): number {
  if (column === "owner") return a.name.localeCompare(b.name);
  const [x, y] = [a[column], b[column]];
  return typeof x === "number" ? x - (y as number) : new Decimal(x).comparedTo(y as string);
}

/** Sortable in place: the whole team is on the page, so sorting it needs no trip to the server. */
export function TeamTable({ model }: { model: TeamBreakdownModel }) {
  const [sort, setSort] = useState<{ column: Column; desc: boolean }>({ column: "atRisk", desc: true });
  const reps = [...model.reps].sort(
    (a, b) => (sort.desc ? -1 : 1) * compare(a, b, sort.column) || a.owner.localeCompare(b.owner),
  );
  const toggle = (column: Column) =>
    setSort(sort.column === column ? { column, desc: !sort.desc } : { column, desc: column !== "owner" });
  const cell = (line: TeamLine, column: (typeof COLUMNS)[number]) => {
    const value = line[column.id];
    if (column.money) return formatUsd(value as string);
    if (column.count)
      return (
        <>
          {formatCount(value as number)}
          <span className="phone-only"> {value === 1 ? "deal" : "deals"}</span>
        </>
      );
    return value;
  };
  return (
    <section className="card table-card team-breakdown" aria-label="Team breakdown">
      <div className="table-toolbar">
        <h2>Team breakdown</h2>
        <p className="muted">Open pipeline per rep in this view. Click a rep to see their deals.</p>
      </div>
      <div className="table-wrap">
        <table className="data team-table">
          <thead>
            <tr>
              {COLUMNS.map((column) => {
                const sorted = sort.column === column.id ? (sort.desc ? "descending" : "ascending") : undefined;
                return (
                  <th
                    key={column.id}
                    scope="col"
                    aria-sort={sorted ?? "none"}
                    className={column.id === "owner" ? undefined : "num"}
                  >
                    <button type="button" className="sort-button" onClick={() => toggle(column.id)}>
                      {column.label}
                      <span aria-hidden="true" className="sort-indicator">
                        {sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "↕"}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {reps.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length} className="muted empty-state">
                  No open pipeline in this view.
                </td>
              </tr>
            )}
            {reps.map((rep) => (
              <tr key={rep.owner}>
                {COLUMNS.map((column) =>
                  column.id === "owner" ? (
                    <th key={column.id} scope="row" data-area={column.area}>
                      <RowLink href={rep.href} title={rep.owner}>
                        {rep.name}
                      </RowLink>
                    </th>
                  ) : (
                    <td
                      key={column.id}
                      className="num"
                      data-area={column.area}
                      data-label={column.money ? column.label : undefined}
                    >
                      {cell(rep, column)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
          {reps.length > 0 && (
            <tfoot>
              <tr>
                <th scope="row" data-area="owner">
                  Team total ({plural(reps.length, "rep")})
                </th>
                {COLUMNS.slice(1).map((column) => (
                  <td
                    key={column.id}
                    className="num"
                    data-area={column.area}
                    data-label={column.money ? column.label : undefined}
                    data-testid={`team-total-${column.id}`}
                  >
                    {cell({ owner: "", name: "", ...model.total }, column)}
                  </td>
                ))}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </section>
  );
}
