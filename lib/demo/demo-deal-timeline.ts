import Decimal from "decimal.js";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import type { ForecastCategory } from "../gtm/forecast-settings";
import type { Opportunity } from "../gtm/opportunity";
import { isOpen, type SalesStage } from "../gtm/sales-stage";

/** A demo deal as one weekly CRM export has it, with the optional fields. */
export interface DemoDeal extends Opportunity {
  name: string;
  createdDate: CalendarDate;
  forecastCategory: ForecastCategory | null;
  probability: number | null;
}

/** A value that changes at some weeks: [week it takes effect, value], oldest first. */
type Steps<T> = [number, T][];

function valueAt<T>(steps: Steps<T>, week: number): T {
  let value = steps[0][1];
  for (const [from, next] of steps) {
    if (from > week) break;
    value = next;
  }
  return value;
}

/** Walks back from the value a deal ends with: at each change week (ascending) the value before it was `previous(value after)`. */
function endingWith<T>(final: T, firstWeek: number, changeWeeks: number[], previous: (after: T) => T): Steps<T> {
  const steps: Steps<T> = [];
  let value = final;
  for (let i = changeWeeks.length - 1; i >= 0; i--) {
    steps.unshift([changeWeeks[i], value]);
    value = previous(value);
  }
  steps.unshift([firstWeek, value]);
  return steps;
}

/** A deal's whole story over the demo's weeks. */
export interface DealTimeline {
  deal: Pick<DemoDeal, "oppId" | "customerId" | "name" | "createdDate">;
  /** The first week's export that has it. */
  firstWeek: number;
  /** The first week's export that no longer has it (removed from the CRM); absent: still there. */
  goneWeek?: number;
  stage: Steps<SalesStage>;
  closeDate: Steps<CalendarDate>;
  amount: Steps<Decimal>;
  salesOwner: Steps<string>;
  /** The deal's own forecast category follows its stage; null: it takes its stage's. */
  forecastRoll: number | null;
  probabilityRoll: number | null;
}

export function dealAt(timeline: DealTimeline, week: number): DemoDeal | undefined {
  if (week < timeline.firstWeek || (timeline.goneWeek !== undefined && week >= timeline.goneWeek)) return undefined;
  const stage = valueAt(timeline.stage, week);
  const { deal } = timeline;
  return {
    oppId: deal.oppId,
    customerId: deal.customerId,
    name: deal.name,
    createdDate: deal.createdDate,
    stage,
    closeDate: valueAt(timeline.closeDate, week),
    amount: valueAt(timeline.amount, week),
    salesOwner: valueAt(timeline.salesOwner, week),
    forecastCategory: forecastCategory(stage, timeline.forecastRoll),
    probability: probability(stage, timeline.forecastRoll, timeline.probabilityRoll),
  };
}

function forecastCategory(stage: SalesStage, roll: number | null): ForecastCategory | null {
  if (roll === null || !isOpen(stage)) return null;
  if (stage === "proposal") return roll < 0.6 ? "commit" : "best_case";
  if (stage === "qualification") return roll < 0.3 ? "best_case" : roll < 0.9 ? "pipeline" : "omitted";
  return roll < 0.8 ? "pipeline" : "omitted";
}

function probability(stage: SalesStage, roll: number | null, probabilityRoll: number | null): number | null {
  const category = forecastCategory(stage, roll);
  if (category === null || probabilityRoll === null) return null;
  const [low, high] = category === "commit" ? [75, 95] : stage === "proposal" ? [40, 70] : [5, 40];
  return low + Math.floor(probabilityRoll * (high - low + 1));
}

const OPEN_PATH: SalesStage[] = ["prospecting", "qualification", "proposal"];

export interface TimelineContext {
  random: () => number;
  /** Each week's export date, oldest first. */
  weeks: CalendarDate[];
  owners: string[];
}

/**
 * The story of a deal that ends as `final` (today's export): created some weeks or months
 * before it closes, advanced stage by stage, its close date pushed or pulled in, re-sized,
 * now and then handed to another owner, and won or lost in the week after its close date.
 */
export function timelineEndingAs(
  final: Opportunity,
  details: Pick<DemoDeal, "name" | "createdDate">,
  context: TimelineContext,
  goneWeek?: number,
): DealTimeline {
  const { random, weeks } = context;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const lastWeek = (goneWeek ?? weeks.length) - 1;
  const firstWeek = Math.min(lastWeek, Math.max(0, weekOf(weeks, details.createdDate)));
  /** Up to `count` distinct weeks after the first and up to `last`, ascending. */
  const changeWeeks = (count: number, last: number) => {
    const chosen = new Set<number>();
    for (let i = 0; i < count && chosen.size < last - firstWeek; i++) {
      let week = int(firstWeek + 1, last);
      while (chosen.has(week)) week = week === last ? firstWeek + 1 : week + 1;
      chosen.add(week);
    }
    return [...chosen].sort((a, b) => a - b);
  };

  const closed = !isOpen(final.stage);
  const closeWeek = closed ? Math.max(firstWeek, weekOf(weeks, final.closeDate)) : lastWeek + 1;
  const lastOpenStage = closed
    ? final.stage === "closed_won" && random() < 0.8
      ? 2
      : int(0, 2)
    : OPEN_PATH.indexOf(final.stage);
  const advances = changeWeeks(int(0, lastOpenStage), Math.min(lastWeek, closeWeek - 1));
  const openSteps = endingWith<SalesStage>(
    OPEN_PATH[lastOpenStage],
    firstWeek,
    advances,
    (after) => OPEN_PATH[OPEN_PATH.indexOf(after) - 1],
  );
  const stage: Steps<SalesStage> =
    closed && closeWeek <= firstWeek
      ? [[firstWeek, final.stage]]
      : closed
        ? [...openSteps, [closeWeek, final.stage]]
        : openSteps;

  const moves = changeWeeks(pick(random, [0, 0, 0, 0, 0, 1, 1, 1, 2, 3]), Math.min(lastWeek, closeWeek));
  // Going back in time: a push (a later date) was preceded by an earlier one, a pull-in by a later one.
  const closeDate = endingWith(final.closeDate, firstWeek, moves, (after) =>
    random() < 0.7 ? addDays(after, -int(7, 60)) : addDays(after, int(7, 45)),
  );
  const resizes = changeWeeks(pick(random, [0, 0, 0, 0, 0, 0, 0, 1, 1, 2]), Math.min(lastWeek, closeWeek));
  const amount = endingWith(final.amount, firstWeek, resizes, (after) =>
    Decimal.max(100, after.times(0.6 + random() * 0.8).toDecimalPlaces(2)),
  );
  const handover = random() < 0.03 ? changeWeeks(1, lastWeek) : [];
  const salesOwner = endingWith(
    final.salesOwner,
    firstWeek,
    handover,
    (after) =>
      pick(
        random,
        context.owners.filter((owner) => owner !== after),
      ) ?? after,
  );

  const forecastRoll = random() < 0.35 ? random() : null;
  const probabilityRoll = forecastRoll !== null && random() < 0.5 ? random() : null;
  return {
    deal: { oppId: final.oppId, customerId: final.customerId, ...details },
    firstWeek,
    goneWeek,
    stage,
    closeDate,
    amount,
    salesOwner,
    forecastRoll,
    probabilityRoll,
  };
}

/** The first week whose export date is on or after `date` (weeks.length when none is). */
export function weekOf(weeks: CalendarDate[], date: CalendarDate): number {
  const index = weeks.findIndex((week) => week >= date);
  return index === -1 ? weeks.length : index;
}

export function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)];
}
