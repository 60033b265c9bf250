import Decimal from "decimal.js";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import type { ChurnRisk, Customer } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";
import { OPEN_STAGES } from "../gtm/sales-stage";
import { type DealTimeline, dealAt, type DemoDeal, pick, timelineEndingAs, weekOf } from "./demo-deal-timeline";
import { DEMO_MANAGERS, DEMO_SEED, type DemoData, seededRandom } from "./generate-demo-data";

export const DEMO_WEEKS = 26;

export interface DemoTeamMember {
  salesOwner: string;
  manager: string;
  ownerName: string;
  managerName: string;
}

/** Half a year of weekly CRM exports that end in today's demo pipeline. */
export interface DemoHistory {
  /** Each export's date, oldest first; the last is today. */
  weeks: CalendarDate[];
  customersAt(week: number): Customer[];
  dealsAt(week: number): DemoDeal[];
  teams: DemoTeamMember[];
}

const PRODUCTS = [
  "Platform renewal",
  "Seat expansion",
  "Analytics add-on",
  "Support upgrade",
  "Pilot",
  "Multi-year renewal",
  "Data migration",
  "New region",
];
const MANAGER_NAMES: Record<(typeof DEMO_MANAGERS)[number], string> = {
  "mgr.north": "Nora North",
  "mgr.south": "Sam South",
};
/** Deals that were in the CRM for a while and then deleted from it, as a share of today's. */
const REMOVED_SHARE = 0.04;

/**
 * The weeks before today's demo pipeline (generateDemoData's, unchanged: it is the last week):
 * deals created, advanced, pushed and pulled in, re-sized, handed over, won, lost, and some
 * deleted from the CRM; customers' churn risk raised and lowered. Deals get names, created
 * dates and, on about a third, a forecast category and probability of their own; sales owners
 * and managers get display names. A random stream of its own: same input, same history.
 */
export function generateDemoHistory(data: DemoData, today: CalendarDate, seed = DEMO_SEED + 3): DemoHistory {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const weeks = Array.from({ length: DEMO_WEEKS }, (_, k) => addDays(today, -7 * (DEMO_WEEKS - 1 - k)));
  const owners = data.teams.map((member) => member.salesOwner);
  const context = { random, weeks, owners };
  const customerNames = new Map(data.customers.map((customer) => [customer.customerId, customer.name]));
  const dealName = (customerId: string) => `${customerNames.get(customerId) ?? customerId} - ${pick(random, PRODUCTS)}`;

  const deals: DealTimeline[] = data.opportunities.map((opportunity) => {
    const createdBefore = opportunity.closeDate < today ? opportunity.closeDate : today;
    return timelineEndingAs(
      opportunity,
      { name: dealName(opportunity.customerId), createdDate: addDays(createdBefore, -int(0, 240)) },
      context,
    );
  });
  const removedCount = Math.round(data.opportunities.length * REMOVED_SHARE);
  for (let index = 0; index < removedCount && data.customers.length > 0; index++) {
    const createdDate = addDays(weeks[0], int(-60, 7 * (DEMO_WEEKS - 3)));
    const goneWeek = int(Math.max(0, weekOf(weeks, createdDate)) + 1, DEMO_WEEKS - 1);
    const last: Opportunity = {
      oppId: `OPP-${String(data.opportunities.length + index + 1).padStart(6, "0")}`,
      customerId: pick(random, data.customers).customerId,
      stage: pick(random, OPEN_STAGES),
      closeDate: addDays(weeks[goneWeek - 1], int(-20, 200)),
      amount: new Decimal(Math.round(Math.exp(7 + random() * 5)) * 100 + int(0, 99)).dividedBy(100),
      salesOwner: pick(random, owners),
    };
    deals.push(timelineEndingAs(last, { name: dealName(last.customerId), createdDate }, context, goneWeek));
  }

  const churn = data.customers.map((customer) => ({ customer, steps: churnSteps(random, customer.churnRisk) }));
  return {
    weeks,
    customersAt: (week) =>
      churn.map(({ customer, steps }) => ({ ...customer, churnRisk: steps.findLast(([from]) => from <= week)![1] })),
    dealsAt: (week) => deals.flatMap((timeline) => dealAt(timeline, week) ?? []),
    teams: data.teams.map((member) => ({
      ...member,
      ownerName: demoOwnerName(member.salesOwner),
      managerName: MANAGER_NAMES[member.manager as keyof typeof MANAGER_NAMES] ?? member.manager,
    })),
  };
}

/** Some customers had their churn risk changed once or twice over the weeks: most of today's high ones were raised to it, a fifth of the others lowered or moved. */
function churnSteps(random: () => number, final: ChurnRisk): [number, ChurnRisk][] {
  const steps: [number, ChurnRisk][] = [];
  let risk = final;
  if (random() < (final === "high" ? 0.6 : 0.2)) {
    const flips = random() < 0.7 ? 1 : 2;
    let week = DEMO_WEEKS;
    for (let i = 0; i < flips && week > 1; i++) {
      week = 1 + Math.floor(random() * (week - 1));
      steps.unshift([week, risk]);
      risk =
        risk === "high"
          ? pick(random, ["low", "medium"] as const)
          : random() < 0.6
            ? "high"
            : risk === "low"
              ? "medium"
              : "low";
    }
  }
  steps.unshift([0, risk]);
  return steps;
}

/** The demo teams file's display name of a sales owner: "ana.silva" -> "Ana Silva". */
export function demoOwnerName(salesOwner: string): string {
  return salesOwner
    .replace(/\d+$/, "")
    .split(".")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(" ");
}
