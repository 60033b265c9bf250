import { Prisma } from "../db/generated/client";
import { type ForecastPeriod, periodKeysWithin, winRateWindow } from "../gtm/forecast-period";
import { DEFAULT_FORECAST_SETTINGS, FORECAST_STAGES, STAGE_FORECAST_CATEGORY } from "../gtm/forecast-settings";
import type { PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { IS_OPEN, isAtRiskSql, pipelineFromSql, pipelineWhereSql, scopeSql } from "./pipeline-sql";
import { CURRENT_TABLES, type PipelineSource } from "./pipeline-source";

/**
 * The forecast rules of lib/gtm/forecast.ts in SQL, one statement per forecast: per-owner
 * totals over the deals closing in the 12 months ending with the period (the win-rate
 * window; the period is its tail), with the owner's quotas, team and the settings. A
 * property test proves the totals equal the TypeScript rules to the cent.
 */

/**
 * `n` rounded half-even to a whole number. PostgreSQL's ROUND(numeric) rounds a half away
 * from zero; only an exact half differs, and then the even neighbour of trunc(n) is
 * trunc(n) + mod(trunc(n), 2) (mod keeps the sign of trunc(n), so this holds below zero too).
 * `n` must be exact (a product of NUMERICs, never a quotient).
 */
export function roundHalfEvenSql(n: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(CASE WHEN abs(${n} - trunc(${n})) = 0.5 THEN trunc(${n}) + mod(trunc(${n}), 2) ELSE round(${n}) END)`;
}

// Domain constants, not input: inlined as literals.
const literal = (value: string) => Prisma.raw(`'${value}'`);

/** The deal's category, else its stage's (STAGE_FORECAST_CATEGORY); null for a closed deal without one. */
export const FORECAST_CATEGORY_SQL = Prisma.sql`COALESCE(o.forecast_category, (CASE o.stage ${Prisma.join(
  FORECAST_STAGES.map((stage) => Prisma.sql`WHEN ${literal(stage)} THEN ${literal(STAGE_FORECAST_CATEGORY[stage])}`),
  " ",
)} END)::forecast_category)`;

/** The deal's probability, else its stage's from the settings row `s`. */
export const FORECAST_PROBABILITY_SQL = Prisma.sql`COALESCE(o.probability, CASE o.stage ${Prisma.join(
  FORECAST_STAGES.map((stage) => Prisma.sql`WHEN ${literal(stage)} THEN s.${Prisma.raw(`${stage}_probability`)}`),
  " ",
)} END)`;

const defaults = DEFAULT_FORECAST_SETTINGS;
const SETTING_DEFAULTS: Record<string, string> = {
  ...Object.fromEntries(
    FORECAST_STAGES.map((stage) => [`${stage}_probability`, String(defaults.stageProbabilities[stage])]),
  ),
  at_risk_haircut_percent: String(defaults.atRiskHaircutPercent),
  coverage_threshold: defaults.coverageThreshold.toFixed(2),
};

/** The settings row; the domain's defaults should it be missing. */
const SETTINGS_SQL = Prisma.sql`SELECT ${Prisma.join(
  Object.entries(SETTING_DEFAULTS).map(([column, value]) =>
    Prisma.raw(`COALESCE(fs.${column}, ${value}) AS ${column}`),
  ),
)} FROM (VALUES (1)) one(id) LEFT JOIN forecast_settings fs ON fs.id = one.id`;

/** One row per owner in scope with a deal in the window or a quota within the period (sums as NUMERIC text), each with the settings; one row of settings alone when there is none. */
export interface ForecastRecord {
  prospecting_probability: number;
  qualification_probability: number;
  proposal_probability: number;
  at_risk_haircut_percent: number;
  coverage_threshold: string;
  sales_owner: string | null;
  owner_name: string | null;
  manager: string | null;
  manager_name: string | null;
  won: string;
  lost: string;
  pipeline: string;
  open_commit: string;
  open_best_case: string;
  weighted: string;
  haircut: string;
  quota: string;
  gap: string;
  window_won_count: bigint;
  window_lost_count: bigint;
  window_won_amount: string;
  window_lost_amount: string;
  window_won_cycle_days: bigint;
}

const sumText = (expression: Prisma.Sql) => Prisma.sql`COALESCE(${expression}, 0)::text`;

/**
 * The dashboard's filters narrow the deals (owner, stage, amount, risk, search); the period,
 * not closeFrom/closeTo, decides the close dates. Quotas are narrowed by scope and owner only:
 * a target does not shrink with a deal filter. `source` is where the deals are read: the
 * current tables, or the versions in force on a past `asOf` (pipeline-source.ts).
 */
export function forecastSql(
  period: ForecastPeriod,
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource = CURRENT_TABLES,
  timeZone = "UTC",
): Prisma.Sql {
  const window = winRateWindow(period);
  // Won, lost and open deals alike: a view's status does not narrow a forecast (forecast-query.ts).
  const where = pipelineWhereSql(
    { ...query, status: "all", closeFrom: undefined, closeTo: undefined },
    scope,
    "subquery",
    source,
    timeZone,
  );
  const ownerFilter =
    query.owners.length > 0 ? Prisma.sql`o.sales_owner IN (${Prisma.join(query.owners)})` : Prisma.sql`TRUE`;
  const weightedCents = roundHalfEvenSql(Prisma.sql`d.amount * d.probability`);
  return Prisma.sql`
    WITH s AS (${SETTINGS_SQL}),
    d AS (
      SELECT o.sales_owner, o.stage, o.amount, o.close_date - o.created_date AS cycle_days,
             o.close_date >= ${period.start}::date AS in_period,
             ${FORECAST_CATEGORY_SQL} AS category,
             ${FORECAST_PROBABILITY_SQL} AS probability,
             ${isAtRiskSql(query.asOf, "subquery", source)} AS at_risk,
             ${IS_OPEN} AS open
      FROM ${pipelineFromSql(source)} CROSS JOIN s
      WHERE ${where} AND o.close_date BETWEEN ${window.start}::date AND ${period.end}::date
    ),
    f AS (
      SELECT d.*, d.in_period AND d.open AND d.category <> 'omitted' AS forecast, ${weightedCents} AS weighted_cents FROM d
    ),
    deals AS (
      SELECT f.sales_owner,
             sum(f.amount) FILTER (WHERE f.in_period AND f.stage = 'closed_won') AS won,
             sum(f.amount) FILTER (WHERE f.in_period AND f.stage = 'closed_lost') AS lost,
             sum(f.amount) FILTER (WHERE f.forecast) AS pipeline,
             sum(f.amount) FILTER (WHERE f.forecast AND f.category = 'commit') AS open_commit,
             sum(f.amount) FILTER (WHERE f.forecast AND f.category = 'best_case') AS open_best_case,
             sum(f.weighted_cents) FILTER (WHERE f.forecast) * 0.01 AS weighted,
             sum(${roundHalfEvenSql(Prisma.sql`f.weighted_cents * s.at_risk_haircut_percent * 0.01`)}) FILTER (WHERE f.forecast AND f.at_risk) * 0.01 AS haircut,
             count(*) FILTER (WHERE f.stage = 'closed_won') AS window_won_count,
             count(*) FILTER (WHERE f.stage = 'closed_lost') AS window_lost_count,
             sum(f.amount) FILTER (WHERE f.stage = 'closed_won') AS window_won_amount,
             sum(f.amount) FILTER (WHERE f.stage = 'closed_lost') AS window_lost_amount,
             sum(f.cycle_days) FILTER (WHERE f.stage = 'closed_won') AS window_won_cycle_days
      FROM f CROSS JOIN s GROUP BY f.sales_owner
    ),
    -- Aliased o so that the scope's predicate reads the quota's owner.
    quota AS (
      SELECT o.sales_owner, sum(o.amount) AS quota_amount FROM quotas o
      WHERE ${scopeSql(scope)} AND ${ownerFilter} AND o.period IN (${Prisma.join(periodKeysWithin(period))})
      GROUP BY o.sales_owner
    ),
    owners AS (SELECT * FROM deals FULL JOIN quota USING (sales_owner))
    SELECT ${Prisma.raw(
      Object.keys(SETTING_DEFAULTS)
        .filter((column) => column !== "coverage_threshold")
        .map((column) => `s.${column}`)
        .join(", "),
    )},
           s.coverage_threshold::text AS coverage_threshold,
           r.sales_owner, t.owner_name, t.manager,
           (SELECT max(m.manager_name) FROM sales_teams m WHERE m.manager = t.manager) AS manager_name,
           ${sumText(Prisma.sql`r.won`)} AS won, ${sumText(Prisma.sql`r.lost`)} AS lost, ${sumText(Prisma.sql`r.pipeline`)} AS pipeline,
           ${sumText(Prisma.sql`r.open_commit`)} AS open_commit, ${sumText(Prisma.sql`r.open_best_case`)} AS open_best_case,
           ${sumText(Prisma.sql`r.weighted`)} AS weighted, ${sumText(Prisma.sql`r.haircut`)} AS haircut,
           ${sumText(Prisma.sql`r.quota_amount`)} AS quota, GREATEST(COALESCE(r.quota_amount, 0) - COALESCE(r.won, 0), 0)::text AS gap,
           COALESCE(r.window_won_count, 0) AS window_won_count, COALESCE(r.window_lost_count, 0) AS window_lost_count,
           ${sumText(Prisma.sql`r.window_won_amount`)} AS window_won_amount, ${sumText(Prisma.sql`r.window_lost_amount`)} AS window_lost_amount,
           COALESCE(r.window_won_cycle_days, 0) AS window_won_cycle_days
    FROM s LEFT JOIN owners r ON TRUE LEFT JOIN sales_teams t ON t.sales_owner = r.sales_owner
    ORDER BY r.sales_owner`;
}
