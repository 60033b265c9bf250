import { addDays, type CalendarDate } from "../gtm/calendar-date";
import type { Customer } from "../gtm/customer";
import type { ForecastCategory } from "../gtm/forecast-settings";
import type { Opportunity } from "../gtm/opportunity";
import { isOpen } from "../gtm/sales-stage";
import { DEMO_MANAGERS, DEMO_SEED, seededRandom } from "./generate-demo-data";

/** The optional CRM fields of a demo deal (migration 20261201010000_opportunity_fields). */
export interface DemoDealDetails {
  oppId: string;
  name: string;
  createdDate: CalendarDate;
  forecastCategory: ForecastCategory | null;
  probability: number | null;
}

const PRODUCTS = ["Platform renewal", "Seat expansion", "Analytics add-on", "Support upgrade", "Pilot", "Multi-year renewal", "Data migration", "New region"];

/**
 * Names and created dates for every demo deal, and on about a third of the open ones a
 * forecast category or probability of their own (the rest take their stage's), so the
 * forecast's categories, weighting and sales cycle have something to show. A random
 * stream of its own: the pipeline generateDemoData makes is the same with or without it.
 */
export function generateDemoDealDetails(opportunities: Opportunity[], customers: Customer[], today: CalendarDate, seed = DEMO_SEED + 1): DemoDealDetails[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const customerNames = new Map(customers.map((customer) => [customer.customerId, customer.name]));
  return opportunities.map((opportunity) => {
    const name = `${customerNames.get(opportunity.customerId) ?? opportunity.customerId} - ${PRODUCTS[int(0, PRODUCTS.length - 1)]}`;
    // Created 1-26 weeks before it closed, and never after today.
    const createdFrom = opportunity.closeDate < today ? opportunity.closeDate : today;
    const createdDate = addDays(createdFrom, -int(7, 182));
    let forecastCategory: ForecastCategory | null = null;
    let probability: number | null = null;
    if (isOpen(opportunity.stage) && random() < 0.35) {
      const roll = random();
      if (opportunity.stage === "proposal") forecastCategory = roll < 0.6 ? "commit" : "best_case";
      else if (opportunity.stage === "qualification") forecastCategory = roll < 0.3 ? "best_case" : roll < 0.9 ? "pipeline" : "omitted";
      else forecastCategory = roll < 0.8 ? "pipeline" : "omitted";
      if (random() < 0.5) probability = forecastCategory === "commit" ? int(75, 95) : opportunity.stage === "proposal" ? int(40, 70) : int(5, 40);
    }
    return { oppId: opportunity.oppId, name, createdDate, forecastCategory, probability };
  });
}

const MANAGER_NAMES: Record<(typeof DEMO_MANAGERS)[number], string> = { "mgr.north": "Nora North", "mgr.south": "Sam South" };

/** "ana.silva" -> "Ana Silva", the display name of a demo owner. */
export function demoOwnerName(salesOwner: string): string {
  return salesOwner
    .replace(/\d+$/, "")
    .split(".")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(" ");
}

export function demoManagerName(manager: string): string | null {
  return MANAGER_NAMES[manager as (typeof DEMO_MANAGERS)[number]] ?? null;
}
