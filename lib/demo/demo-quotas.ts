import Decimal from "decimal.js";
import type { CalendarDate } from "../gtm/calendar-date";
import type { Quota } from "../gtm/forecast";
import { containsDate, monthPeriod, quarterContaining, shiftQuarter } from "../gtm/forecast-period";
import type { Opportunity } from "../gtm/opportunity";
import { DEMO_SEED, seededRandom } from "./generate-demo-data";

/** Quarters relative to the reference date's that get a quota: the last 4, the current one and the next 2. */
const QUARTER_OFFSETS = [-4, -3, -2, -1, 0, 1, 2];
const FALLBACK_QUARTERLY = new Decimal(50_000);

const toThousands = (amount: Decimal) => amount.dividedBy(1000).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).times(1000);

/**
 * Quotas for every demo owner, sized on what they won in the demo's closed deals (the last
 * two quarters' worth) times 1.0-1.5, rounded to thousands, so attainment and coverage look
 * like a real team's. Every third owner has monthly quotas for the current and next quarter
 * instead of a quarterly one (both kinds count towards a quarter). Same input, same quotas.
 */
export function generateDemoQuotas(
  opportunities: Opportunity[],
  owners: string[],
  today: CalendarDate,
  seed = DEMO_SEED + 2,
): Quota[] {
  const random = seededRandom(seed);
  const current = quarterContaining(today);
  const lastHalfYear = { start: shiftQuarter(current, -2).start, end: shiftQuarter(current, -1).end };
  const wonByOwner = new Map<string, Decimal>();
  for (const opportunity of opportunities) {
    if (opportunity.stage !== "closed_won" || !containsDate(lastHalfYear, opportunity.closeDate)) continue;
    wonByOwner.set(
      opportunity.salesOwner,
      (wonByOwner.get(opportunity.salesOwner) ?? new Decimal(0)).plus(opportunity.amount),
    );
  }
  const quotas: Quota[] = [];
  owners.forEach((salesOwner, index) => {
    const won = wonByOwner.get(salesOwner);
    const perQuarter = won && won.greaterThan(0) ? won.dividedBy(2) : FALLBACK_QUARTERLY;
    for (const offset of QUARTER_OFFSETS) {
      const quarter = shiftQuarter(current, offset);
      const amount = toThousands(perQuarter.times(1 + random() / 2));
      if (index % 3 === 2 && (offset === 0 || offset === 1)) {
        const [year, month] = quarter.start.split("-").map(Number);
        const monthly = toThousands(amount.dividedBy(3));
        for (const k of [0, 1, 2])
          quotas.push({ salesOwner, period: monthPeriod(year, month + k).key, amount: monthly });
      } else {
        quotas.push({ salesOwner, period: quarter.key, amount });
      }
    }
  });
  return quotas;
}
