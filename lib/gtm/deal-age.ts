import { addDays, type CalendarDate, calendarDateAt } from "./calendar-date";
import type { SalesStage } from "./sales-stage";

/**
 * What a deal's history says about it (PRODUCT.md "History", issue 14): when it was first
 * seen, since when it has been in its current stage, and how many times its close date moved
 * later. Read from the versions of one life of the deal: a deal added back after a snapshot
 * removed it starts afresh, as its timeline does. The migration 20261201050000_deal_age keeps
 * the same values on every version in SQL; a test proves they agree.
 */
export interface DealAge {
  firstSeen: Date;
  stageSince: Date;
  pushCount: number;
}

/** The fields of a version the rule reads. */
export interface AgedVersion {
  validFrom: Date;
  validTo: Date | null;
  removed: boolean;
  stage: SalesStage;
  closeDate: CalendarDate;
}

/** The deal's age as of its version in force at `instant` (versions oldest first); null when none is. */
export function dealAgeAt(versions: readonly AgedVersion[], instant: Date): DealAge | null {
  let age: DealAge | null = null;
  let before: AgedVersion | undefined;
  for (const version of versions) {
    if (version.validFrom >= instant) break;
    const continues =
      before !== undefined && !before.removed && before.validTo?.getTime() === version.validFrom.getTime();
    if (!continues || !age || !before) {
      age = { firstSeen: version.validFrom, stageSince: version.validFrom, pushCount: 0 };
    } else {
      age = {
        firstSeen: age.firstSeen,
        stageSince: version.stage === before.stage ? age.stageSince : version.validFrom,
        pushCount: age.pushCount + (version.closeDate > before.closeDate ? 1 : 0),
      };
    }
    before = version;
  }
  const inForce = before && (before.validTo === null || before.validTo >= instant);
  return inForce ? age : null;
}

/** Whole days from the day the stage began (in `timeZone`) to `asOf`: 0 on the day it changed. */
export function daysInStage(stageSince: Date, asOf: CalendarDate, timeZone: string): number {
  const since = calendarDateAt(stageSince, timeZone);
  return Math.round((Date.parse(asOf) - Date.parse(since)) / 86_400_000);
}

/**
 * `stalledDays=N` keeps deals N or more days in their stage on `asOf`: those whose stage began
 * before the start of the day after asOf - N (an instant, so SQL compares a column).
 */
export function stalledSince(asOf: CalendarDate, days: number): CalendarDate {
  return addDays(asOf, 1 - days);
}
