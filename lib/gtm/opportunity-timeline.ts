import type Decimal from "decimal.js";
import type { CalendarDate } from "./calendar-date";
import type { SalesStage } from "./sales-stage";

/** One recorded state of an opportunity, valid from `validFrom` until `validTo` (null: still current). */
export interface OpportunityVersion {
  validFrom: Date;
  validTo: Date | null;
  /** The version ended because the deal left the CRM (a snapshot import without it). */
  removed: boolean;
  customerId: string;
  stage: SalesStage;
  closeDate: CalendarDate;
  amount: Decimal;
  salesOwner: string;
  /** The import that recorded this state; null for writes outside an import. */
  run: ImportRunRef | null;
}

export interface ImportRunRef {
  id: number;
  source: string;
  effectiveDate: CalendarDate | null;
}

export type OpportunityChange =
  | { field: "stage"; from: SalesStage; to: SalesStage }
  | { field: "closeDate"; from: CalendarDate; to: CalendarDate }
  | { field: "amount"; from: Decimal; to: Decimal }
  | { field: "salesOwner"; from: string; to: string }
  | { field: "customerId"; from: string; to: string };

/**
 * One moment of a deal's timeline: it was first seen (in the versions given), it changed,
 * or it was removed. "recorded" carries the state then; "changed" what differs from the
 * state just before; "removed" has no run (the removal ends a version, it opens none).
 */
export type TimelineEntry =
  | { kind: "recorded"; at: Date; run: ImportRunRef | null; version: OpportunityVersion }
  | { kind: "changed"; at: Date; run: ImportRunRef | null; changes: OpportunityChange[] }
  | { kind: "removed"; at: Date };

/** What differs between two consecutive states, in the order a reader scans a deal. */
export function versionChanges(before: OpportunityVersion, after: OpportunityVersion): OpportunityChange[] {
  const changes: OpportunityChange[] = [];
  if (before.stage !== after.stage) changes.push({ field: "stage", from: before.stage, to: after.stage });
  if (before.closeDate !== after.closeDate)
    changes.push({ field: "closeDate", from: before.closeDate, to: after.closeDate });
  if (!before.amount.equals(after.amount)) changes.push({ field: "amount", from: before.amount, to: after.amount });
  if (before.salesOwner !== after.salesOwner)
    changes.push({ field: "salesOwner", from: before.salesOwner, to: after.salesOwner });
  if (before.customerId !== after.customerId)
    changes.push({ field: "customerId", from: before.customerId, to: after.customerId });
  return changes;
}

/**
 * The timeline of the versions given (oldest first), which may be only some of a deal's
 * versions (those a viewer may see). A version that starts where the one before ended is a
 * change; any other is a fresh start ("recorded"): the deal's first version, one added back
 * after a removal, or one that came into the viewer's sight. Versions that change only
 * fields the timeline does not show (name, forecast category, ...) add no entry.
 */
export function opportunityTimeline(versions: readonly OpportunityVersion[]): TimelineEntry[] {
  const ordered = [...versions].sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
  const entries: TimelineEntry[] = [];
  ordered.forEach((version, index) => {
    const before = ordered[index - 1];
    const continues =
      before !== undefined && !before.removed && before.validTo?.getTime() === version.validFrom.getTime();
    if (!continues) {
      entries.push({ kind: "recorded", at: version.validFrom, run: version.run, version });
    } else {
      const changes = versionChanges(before, version);
      if (changes.length > 0) entries.push({ kind: "changed", at: version.validFrom, run: version.run, changes });
    }
    if (version.removed && version.validTo) entries.push({ kind: "removed", at: version.validTo });
  });
  return entries;
}
