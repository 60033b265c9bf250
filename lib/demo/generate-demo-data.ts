import Decimal from "decimal.js";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import type { ChurnRisk, Customer } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";
import type { SalesStage } from "../gtm/sales-stage";

export interface DemoDataOptions {
  /** Close dates spread from 6 months before to 12 months after this date. */
  today: CalendarDate;
  seed?: number;
  customers?: number;
  opportunities?: number;
  owners?: number;
}

export interface DemoData {
  customers: Customer[];
  opportunities: Opportunity[];
  /** Sales owner -> manager id, two teams of half the owners each. */
  teams: { salesOwner: string; manager: string }[];
}

export const DEMO_MANAGERS = ["mgr.north", "mgr.south"] as const;

export const DEMO_SEED = 20261124;

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_HEADS = [
  "Acme",
  "Northwind",
  "Globex",
  "Initech",
  "Umbrella",
  "Stark",
  "Wayne",
  "Tyrell",
  "Cyberdyne",
  "Soylent",
  "Hooli",
  "Vandelay",
  "Massive",
  "Gringotts",
  "Wonka",
  "Oscorp",
  "Zürich",
  "Nakatomi",
  "Aperture",
  "Black Mesa",
  "Blue Sun",
  "Monarch",
  "Prestige",
  "Sterling",
  "Duff",
  "Bluth",
  "Pied Piper",
  "Dunder",
  "Kwik",
  "Ollivander",
];
const NAME_TAILS = [
  "Analytics",
  "Logistics",
  "Health",
  "Foods",
  "Energy",
  "Robotics",
  "Media",
  "Bank",
  "Systems",
  "Labs",
  "Retail",
  "Software",
  "Insurance",
  "Holdings, Inc.",
  "& Sons",
  "GmbH",
  "Data AG",
  "Partners",
  "Telecom",
  "Studios",
];
const FIRST = [
  "ana",
  "ben",
  "carla",
  "dev",
  "elif",
  "femi",
  "gia",
  "hiro",
  "ines",
  "jon",
  "kofi",
  "lena",
  "mateo",
  "nora",
  "omar",
  "priya",
  "quinn",
  "rosa",
  "sven",
  "tara",
  "uma",
  "vik",
  "wen",
  "xavi",
  "yara",
  "zane",
];
const LAST = [
  "silva",
  "kim",
  "okafor",
  "novak",
  "haddad",
  "larsen",
  "moreau",
  "tanaka",
  "reyes",
  "costa",
  "berg",
  "ito",
  "shah",
  "ross",
];

const STAGE_WEIGHTS: [SalesStage, number][] = [
  ["prospecting", 0.25],
  ["qualification", 0.2],
  ["proposal", 0.2],
  ["closed_won", 0.2],
  ["closed_lost", 0.15],
];

function pickWeighted<T>(random: () => number, weighted: [T, number][]): T {
  let roll = random();
  for (const [value, weight] of weighted) {
    if ((roll -= weight) < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}

/**
 * A realistic, deterministic pipeline: same options, same data. About 15% of
 * customers are high churn risk; amounts have cents and a long tail.
 */
export function generateDemoData(options: DemoDataOptions): DemoData {
  const random = seededRandom(options.seed ?? DEMO_SEED);
  const customerCount = options.customers ?? 300;
  const opportunityCount = options.opportunities ?? 5_000;
  const ownerCount = options.owners ?? 20;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const owners: string[] = [];
  while (owners.length < ownerCount) {
    const base = `${FIRST[int(0, FIRST.length - 1)]}.${LAST[int(0, LAST.length - 1)]}`;
    const id = owners.includes(base) ? `${base}${owners.length}` : base;
    owners.push(id);
  }

  const customers: Customer[] = Array.from({ length: customerCount }, (_, index) => {
    const churnRisk = pickWeighted<ChurnRisk>(random, [
      ["high", 0.15],
      ["medium", 0.35],
      ["low", 0.5],
    ]);
    const name = `${NAME_HEADS[int(0, NAME_HEADS.length - 1)]} ${NAME_TAILS[int(0, NAME_TAILS.length - 1)]}`;
    return { customerId: `CUST-${String(index + 1).padStart(5, "0")}`, name, churnRisk };
  });

  const opportunities: Opportunity[] = Array.from({ length: opportunityCount }, (_, index) => {
    const stage = pickWeighted(random, STAGE_WEIGHTS);
    const closed = stage === "closed_won" || stage === "closed_lost";
    // Closed deals closed in the last 6 months; most open ones are due in the next 12, some slipped.
    const dayOffset = closed || random() < 0.15 ? -int(1, 182) : int(0, 365);
    const cents = Math.round(Math.exp(7 + random() * 5.5) * 100) + int(0, 99);
    return {
      oppId: `OPP-${String(index + 1).padStart(6, "0")}`,
      customerId: customers[Math.floor(random() ** 1.3 * customerCount)].customerId,
      stage,
      closeDate: addDays(options.today, dayOffset),
      amount: new Decimal(cents).dividedBy(100),
      salesOwner: owners[Math.floor(random() * ownerCount)],
    };
  });

  const teams = owners.map((salesOwner, index) => ({
    salesOwner,
    manager: DEMO_MANAGERS[index < ownerCount / 2 ? 0 : 1],
  }));
  return { customers, opportunities, teams };
}
