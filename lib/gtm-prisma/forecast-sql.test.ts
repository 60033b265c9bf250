import Decimal from "decimal.js";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import { CHURN_RISKS, type Customer } from "../gtm/customer";
import { type ForecastTotals, forecastTotalsByOwner, type Quota, sumTotals } from "../gtm/forecast";
import { type Forecast, forecastFigures } from "../gtm/forecast-figures";
import { parseForecastPeriod } from "../gtm/forecast-period";
import { FORECAST_CATEGORIES, type ForecastSettings } from "../gtm/forecast-settings";
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, type PipelineQuery, RISK_FILTERS } from "../gtm/pipeline-query";
import { ALL_OWNERS, ownersScope, type PipelineScope } from "../gtm/pipeline-scope";
import { isAtRisk, isOverdue } from "../gtm/revenue-at-risk";
import { SALES_STAGES, type SalesStage } from "../gtm/sales-stage";
import { figuresText, type StoredForecastDeal, storeForecastData, totalsText } from "../testing/forecast-data";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { PrismaForecastRepository } from "./prisma-forecast-repository";

const OWNERS = ["ana", "ben", "cara", "dev", "eli"];
const MANAGERS = ["mgr.n", "mgr.s"];
const PERIODS = ["2026-Q4", "2026-11", "2026-Q1", "2027-01"];
const FIRST_DAY = "2025-09-01" as CalendarDate;
const QUOTA_PERIODS = [
  "2026-Q1",
  "2026-01",
  "2026-03",
  "2026-Q4",
  "2026-10",
  "2026-11",
  "2026-12",
  "2027-Q1",
  "2027-01",
];

// Percents that make half cents from odd cents come often, so the half-even rounding is exercised.
const percent = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(10, 25, 50, 75, 90));
const day = fc.integer({ min: 0, max: 600 }).map((offset) => addDays(FIRST_DAY, offset));
// Half the close dates in 2026-Q4, the period most runs ask for, around asOf.
const closeDay = fc.oneof(
  day,
  fc.integer({ min: 0, max: 91 }).map((offset) => addDays("2026-10-01" as CalendarDate, offset)),
);
// Cents: small (half-cent products are common), large, and the largest NUMERIC(18,2).
const cents = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 50_000_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(999_999_999_999_999_999n, 1n) },
);
const amount = cents.map((value) => new Decimal(String(value)).dividedBy(100));

type Filter = Pick<PipelineQuery, "owners" | "stages" | "risk" | "minAmount">;
const noFilter: fc.Arbitrary<Filter> = fc.constant({ owners: [], stages: [] });
const someFilter: fc.Arbitrary<Filter> = fc.record({
  owners: fc.oneof(fc.constant<string[]>([]), fc.subarray(OWNERS, { minLength: 1 })),
  stages: fc.oneof(fc.constant<SalesStage[]>([]), fc.subarray([...SALES_STAGES], { minLength: 1 })),
  risk: fc.option(fc.constantFrom(...RISK_FILTERS), { nil: undefined }),
  minAmount: fc.option(fc.constantFrom(new Decimal("1.00"), new Decimal("100000.00")), { nil: undefined }),
});

const world = fc.record({
  settings: fc.record({
    stageProbabilities: fc.record({ prospecting: percent, qualification: percent, proposal: percent }),
    atRiskHaircutPercent: fc.oneof(percent, fc.constant(50)),
    coverageThreshold: fc.constant(new Decimal(3)),
  }),
  // The first customer is high churn, so at-risk deals (and their haircut) are common.
  churn: fc
    .array(fc.constantFrom(...CHURN_RISKS), { minLength: 2, maxLength: 2 })
    .map((others) => ["high" as const, ...others]),
  deals: fc.array(
    fc.record({
      salesOwner: fc.constantFrom(...OWNERS),
      customer: fc.integer({ min: 0, max: 2 }),
      stage: fc.constantFrom(...SALES_STAGES),
      closeDate: closeDay,
      cycle: fc.integer({ min: -5, max: 400 }),
      amount,
      forecastCategory: fc.option(fc.constantFrom(...FORECAST_CATEGORIES), { nil: null }),
      probability: fc.option(percent, { nil: null }),
    }),
    { minLength: 5, maxLength: 60, size: "max" },
  ),
  quotas: fc.uniqueArray(
    fc.record({ salesOwner: fc.constantFrom(...OWNERS), period: fc.constantFrom(...QUOTA_PERIODS), amount }),
    {
      selector: (quota) => `${quota.salesOwner} ${quota.period}`,
      maxLength: 12,
      size: "max",
    },
  ),
  teams: fc.array(fc.option(fc.constantFrom(...MANAGERS), { nil: null }), {
    minLength: OWNERS.length,
    maxLength: OWNERS.length,
  }),
  period: fc.oneof(fc.constant("2026-Q4"), fc.constantFrom(...PERIODS)),
  asOf: closeDay,
  // Mostly everything in view, so most runs have many deals to add up.
  scope: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.subarray(OWNERS) }),
  filter: fc.oneof({ weight: 3, arbitrary: noFilter }, { weight: 2, arbitrary: someFilter }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

const scopeIncludes = (scope: PipelineScope, owner: string) => scope.kind === "all" || scope.owners.includes(owner);

/** The test's oracle: the dashboard filters and the scope applied in TypeScript, then the domain's rules. */
function expectedByOwner(
  w: World,
  deals: StoredForecastDeal[],
  quotas: Quota[],
  scope: PipelineScope,
  query: PipelineQuery,
) {
  const visible = deals.filter(
    (deal) =>
      scopeIncludes(scope, deal.salesOwner) &&
      (query.owners.length === 0 || query.owners.includes(deal.salesOwner)) &&
      (query.stages.length === 0 || query.stages.includes(deal.stage)) &&
      (!query.minAmount || deal.amount.greaterThanOrEqualTo(query.minAmount)) &&
      (query.risk !== "at-risk" || isAtRisk(deal, deal.churnRisk, query.asOf)) &&
      (query.risk !== "overdue" || isOverdue(deal, query.asOf)),
  );
  const visibleQuotas = quotas.filter(
    (quota) =>
      scopeIncludes(scope, quota.salesOwner) && (query.owners.length === 0 || query.owners.includes(quota.salesOwner)),
  );
  return forecastTotalsByOwner(
    visible,
    visibleQuotas,
    parseForecastPeriod(w.period),
    w.settings as ForecastSettings,
    query.asOf,
  );
}

/** Every figure that is a sum; the ratios are recomputed from the summed totals instead. */
const ADDITIVE_FIGURES = [
  "won",
  "lost",
  "pipeline",
  "commit",
  "bestCase",
  "weighted",
  "riskAdjusted",
  "quota",
  "gap",
  "winRateN",
  "cycleN",
];

function expectChildrenSumToParents(forecast: Forecast): void {
  const additive = (totals: ForecastTotals) => {
    const figures = figuresText(forecastFigures(totals));
    const sums = Object.fromEntries(ADDITIVE_FIGURES.map((key) => [key, figures[key]]));
    return { totals: totalsText(totals), sums };
  };
  const figuresSum = (list: ForecastTotals[]) => {
    const texts = list.map((totals) => additive(totals).sums);
    return Object.fromEntries(
      Object.keys(additive(forecast.total).sums).map((key) => [
        key,
        texts.reduce((sum, t) => sum.plus(t[key]), new Decimal(0)).toFixed(key.endsWith("N") ? 0 : 2),
      ]),
    );
  };
  for (const team of forecast.teams) {
    const members = forecast.rows.filter((row) => row.manager === team.manager);
    expect(members.map((row) => row.owner)).toEqual(team.owners);
    expect(additive(team.totals).totals).toEqual(totalsText(sumTotals(members.map((row) => row.totals))));
    expect(figuresSum(members.map((row) => row.totals))).toEqual(additive(team.totals).sums);
  }
  expect(figuresSum(forecast.teams.map((team) => team.totals))).toEqual(additive(forecast.total).sums);
  expect(figuresSum(forecast.rows.map((row) => row.totals))).toEqual(additive(forecast.total).sums);
}

describeEachDatabase("forecast SQL agrees with the TypeScript rules", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await kind.create();
  });
  afterAll(() => db?.dispose());

  it("on generated deals, categories, probabilities, quotas, settings, scopes and filters: to the cent, and children sum to parents", async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const customers: Customer[] = w.churn.map((churnRisk, index) => ({
          customerId: `C-${index}`,
          name: `Customer ${index}`,
          churnRisk,
        }));
        const deals: StoredForecastDeal[] = w.deals.map((deal, index) => ({
          ...deal,
          oppId: `O-${index}`,
          customerId: customers[deal.customer].customerId,
          churnRisk: customers[deal.customer].churnRisk,
          createdDate: addDays(deal.closeDate, -deal.cycle),
        }));
        const quotas: Quota[] = w.quotas;
        const teams = OWNERS.flatMap((salesOwner, index) =>
          w.teams[index] ? [{ salesOwner, manager: w.teams[index]!, managerName: `Manager ${w.teams[index]}` }] : [],
        );
        await storeForecastData(db.prisma, { customers, deals, quotas, teams, settings: w.settings });
        const scope = w.scope === null ? ALL_OWNERS : ownersScope(w.scope);
        const query: PipelineQuery = {
          ...w.filter,
          status: "all",
          sort: DEFAULT_SORT,
          page: 1,
          pageSize: DEFAULT_PAGE_SIZE,
          asOf: w.asOf,
        };

        const forecast = await new PrismaForecastRepository(db.prisma, scope).forecast(
          parseForecastPeriod(w.period),
          query,
        );

        const expected = expectedByOwner(w, deals, quotas, scope, query);
        expect(Object.fromEntries(forecast.rows.map((row) => [row.owner, totalsText(row.totals)]))).toEqual(
          Object.fromEntries(
            [...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([owner, totals]) => [owner, totalsText(totals)]),
          ),
        );
        for (const row of forecast.rows)
          expect(row.manager).toBe(teams.find((team) => team.salesOwner === row.owner)?.manager ?? null);
        expectChildrenSumToParents(forecast);
      }),
      { numRuns: 50 },
    );
  }, 600_000);
});
