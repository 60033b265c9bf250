import type { SqlConnection } from "../db/sql-driver";
import { calendarDateAt } from "../gtm/calendar-date";
import { type CrmEntity, ENTITY_SPECS, stagingTable } from "./crm-entities";
import type { EffectiveTime } from "./effective-time";

/** The entities whose changes are recorded as versions (teams are not). */
const VERSIONED = { customers: "customer_versions", opportunities: "opportunity_versions" } as const;
type VersionedEntity = keyof typeof VERSIONED;

export interface LaterChanges {
  entity: VersionedEntity;
  /** Records the import touches that already have a change recorded after its effective instant. */
  records: number;
  latest: Date;
}

/**
 * An import dated before the latest recorded change of a record it touches would rewrite the
 * past, so it is refused before anything is written (the version tables' overlap checks,
 * migration 20261201110000, are the backstop). A record is touched when a valid row of the import has its id. A
 * snapshot's opportunities file is the whole pipeline on its day, a claim about every
 * opportunity, so it touches them all: those in the table (it would remove the ones it lacks)
 * and those removed since. A change at the effective instant itself is allowed: a corrected
 * file for the same day. Run after setEffectiveTime, in the same transaction.
 */
export async function findLaterChanges(
  tx: SqlConnection,
  entities: readonly CrmEntity[],
  snapshot: boolean,
): Promise<LaterChanges[]> {
  const found: LaterChanges[] = [];
  for (const entity of entities) {
    if (!(entity in VERSIONED)) continue;
    const versioned = entity as VersionedEntity;
    const key = ENTITY_SPECS[versioned].columns[0].name;
    const inFile =
      snapshot && versioned === "opportunities"
        ? ""
        : `WHERE EXISTS (SELECT 1 FROM ${stagingTable(versioned)} s WHERE s.ok AND s.${key} = v.${key})`;
    // A closed version that started after the instant also ends after it: the current versions'
    // start and the closed ones' end cover every later change, each by its own index (two
    // branches, not an OR: over opportunity_versions each is one table's index scan).
    const [row] = await tx.query<{ records: number; latest: Date | null }>(
      `SELECT count(DISTINCT v.${key})::int AS records, max(v.at) AS latest
       FROM (SELECT ${key}, valid_to AS at FROM ${VERSIONED[versioned]} WHERE valid_to > history_effective_at()
             UNION ALL
             SELECT ${key}, valid_from FROM ${VERSIONED[versioned]} WHERE valid_to IS NULL AND valid_from > history_effective_at()) v
       ${inFile}`,
    );
    if (row.records > 0) found.push({ entity: versioned, records: row.records, latest: new Date(row.latest!) });
  }
  return found;
}

const SINGULAR: Record<VersionedEntity, string> = { customers: "customer", opportunities: "opportunity" };

/** e.g. "refused: 1,234 opportunities already have changes recorded after 2026-11-03 (latest 2026-11-10); import dated exports oldest first" */
export function refusalMessage(later: readonly LaterChanges[], effective: EffectiveTime, timeZone: string): string {
  const total = later.reduce((sum, l) => sum + l.records, 0);
  const who = later
    .map((l) => `${l.records.toLocaleString("en-US")} ${l.records === 1 ? SINGULAR[l.entity] : l.entity}`)
    .join(" and ");
  const latest = new Date(Math.max(...later.map((l) => l.latest.getTime())));
  const latestDate = calendarDateAt(latest, timeZone);
  // On the effective day itself only the time tells the two apart.
  const latestText =
    latestDate === effective.date ? `${latestDate} ${timeOfDay(latest, timeZone)} ${timeZone}` : latestDate;
  return `refused: ${who} already ${total === 1 ? "has" : "have"} changes recorded after ${effective.date} (latest ${latestText}); import dated exports oldest first`;
}

function timeOfDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    instant,
  );
}
