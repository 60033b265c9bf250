import Decimal from "decimal.js";
import type { CalendarDate } from "./calendar-date";
import { type FilterableDeal, matchesView, withinCloseWindow } from "./pipeline-filter";
import type { PipelineQuery } from "./pipeline-query";
import type { PipelineScope } from "./pipeline-scope";
import { isOpen } from "./sales-stage";

/**
 * What changed in a view between the end of `from` and the end of `to` (PRODUCT.md "What
 * changed"). A is the open deals in the view at the end of `from` (risk evaluated on `from`),
 * B the same at the end of `to`. Start = sum over A, end = sum over B, and every deal in A or B
 * lands in exactly one bucket, so start + the buckets = end, exactly. The SQL in
 * lib/gtm-prisma/pipeline-changes-sql.ts must agree; a test proves it.
 */
export const CHANGE_KINDS = [
  "new",
  "pulled_in",
  "moved_in",
  "increased",
  "decreased",
  "won",
  "lost",
  "pushed_out",
  "moved_out",
  "removed",
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One deal's state at the end of `from` and at the end of `to` (null: it did not exist then). */
export interface DealChange {
  before: FilterableDeal | null;
  after: FilterableDeal | null;
  /** No state at `to` because a snapshot import removed it. */
  removed: boolean;
}

export interface ChangeWindow {
  query: PipelineQuery;
  scope: PipelineScope;
  from: CalendarDate;
  to: CalendarDate;
}

const inSet = (deal: FilterableDeal | null, window: ChangeWindow, asOf: CalendarDate): deal is FilterableDeal =>
  deal !== null && isOpen(deal.stage) && matchesView(deal, window.query, window.scope, asOf);

/** The bucket a deal lands in, and its signed amount; null when it is in neither set or in both unchanged. */
export function classifyChange(change: DealChange, window: ChangeWindow): { kind: ChangeKind; amount: Decimal } | null {
  const { before, after } = change;
  const inA = inSet(before, window, window.from);
  const inB = inSet(after, window, window.to);
  if (inA && inB) {
    const delta = after.amount.minus(before.amount);
    if (delta.isZero()) return null;
    return { kind: delta.isPositive() ? "increased" : "decreased", amount: delta };
  }
  if (inB) return { kind: entered(before, after, window), amount: after.amount };
  if (inA) return { kind: left(before, after, change.removed, window), amount: before.amount.negated() };
  return null;
}

function entered(before: FilterableDeal | null, after: FilterableDeal, window: ChangeWindow): ChangeKind {
  if (before === null) return "new";
  const pulledIn =
    after.closeDate < before.closeDate &&
    !withinCloseWindow(before.closeDate, window.query) &&
    withinCloseWindow(after.closeDate, window.query);
  return pulledIn ? "pulled_in" : "moved_in";
}

function left(
  before: FilterableDeal,
  after: FilterableDeal | null,
  removed: boolean,
  window: ChangeWindow,
): ChangeKind {
  if (after === null) return removed ? "removed" : "moved_out";
  if (after.stage === "closed_won") return "won";
  if (after.stage === "closed_lost") return "lost";
  const pushedOut = after.closeDate > before.closeDate && !withinCloseWindow(after.closeDate, window.query);
  return pushedOut ? "pushed_out" : "moved_out";
}

export interface Tally {
  amount: Decimal;
  count: number;
}

export interface ChangesSummary {
  start: Tally;
  end: Tally;
  /** Every kind, in CHANGE_KINDS order, zero where none. */
  buckets: ({ kind: ChangeKind } & Tally)[];
  /** For information: deals in both sets whose close date moved later. */
  pushed: Tally;
}

const zero = (): Tally => ({ amount: new Decimal(0), count: 0 });
const add = (tally: Tally, amount: Decimal) => {
  tally.amount = tally.amount.plus(amount);
  tally.count += 1;
};

export function summarizeChanges(changes: Iterable<DealChange>, window: ChangeWindow): ChangesSummary {
  const start = zero();
  const end = zero();
  const pushed = zero();
  const buckets = new Map<ChangeKind, Tally>(CHANGE_KINDS.map((kind) => [kind, zero()]));
  for (const change of changes) {
    const inA = inSet(change.before, window, window.from);
    const inB = inSet(change.after, window, window.to);
    if (inA) add(start, change.before!.amount);
    if (inB) add(end, change.after!.amount);
    if (inA && inB && change.after!.closeDate > change.before!.closeDate) add(pushed, change.after!.amount);
    const bucket = classifyChange(change, window);
    if (bucket) add(buckets.get(bucket.kind)!, bucket.amount);
  }
  return { start, end, pushed, buckets: CHANGE_KINDS.map((kind) => ({ kind, ...buckets.get(kind)! })) };
}

/** One owner's part of a view's waterfall. */
export interface OwnerChanges {
  owner: string;
  start: Tally;
  end: Tally;
  /** end - start: the sum of this owner's buckets. */
  net: Decimal;
  /** The bucket that moved this owner's pipeline most, whatever its sign; null when none did. */
  largest: ({ kind: ChangeKind } & Tally) | null;
}

export function ownerChangesOf(owner: string, summary: ChangesSummary): OwnerChanges {
  let largest: OwnerChanges["largest"] = null;
  for (const bucket of summary.buckets) {
    if (bucket.count > 0 && (largest === null || bucket.amount.abs().greaterThan(largest.amount.abs())))
      largest = bucket;
  }
  return {
    owner,
    start: summary.start,
    end: summary.end,
    net: summary.end.amount.minus(summary.start.amount),
    largest,
  };
}

/**
 * The waterfall of each owner's part of the view (a manager's per-rep rows): the view narrowed
 * to that owner on each day, so a deal that moved between two reps leaves one's pipeline and
 * enters the other's. Owners with nothing in the view on either day are left out; by owner id.
 */
export function changesByOwner(changes: readonly DealChange[], window: ChangeWindow): OwnerChanges[] {
  const owners = new Set<string>();
  for (const { before, after } of changes) {
    if (before) owners.add(before.salesOwner);
    if (after) owners.add(after.salesOwner);
  }
  const rows: OwnerChanges[] = [];
  for (const owner of [...owners].sort()) {
    if (window.query.owners.length > 0 && !window.query.owners.includes(owner)) continue;
    const touches = changes.filter(
      (change) => change.before?.salesOwner === owner || change.after?.salesOwner === owner,
    );
    const summary = summarizeChanges(touches, { ...window, query: { ...window.query, owners: [owner] } });
    if (summary.start.count > 0 || summary.end.count > 0) rows.push(ownerChangesOf(owner, summary));
  }
  return rows;
}
