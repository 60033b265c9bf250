import { Prisma } from "../db/generated/client";

/**
 * History in SQL (lib/gtm/history-time.ts states the rule): the versions in force at an
 * instant, shaped like the current tables, so a query written against `opportunities` and
 * `customers` reads the past by swapping its FROM. A version [valid_from, valid_to) is in
 * force at `instant` when valid_from < instant <= valid_to (valid_to NULL: still current);
 * `instant` is endOfDay(asOf) in GTM_TIMEZONE.
 */
const inForceAt = (instant: Date | Prisma.Sql) => {
  const at = instant instanceof Date ? Prisma.sql`${instant.toISOString()}::timestamptz` : instant;
  return Prisma.sql`v.valid_from < ${at} AND (v.valid_to IS NULL OR v.valid_to >= ${at})`;
};

/** `opportunities` as it stood at `instant` (same columns); `instant` may be a SQL timestamptz expression. */
export function opportunitiesAtSql(instant: Date | Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT v.opp_id, v.customer_id, v.stage, v.close_date, v.amount, v.sales_owner, v.name, v.created_date, v.forecast_category, v.probability,
      v.first_seen, v.stage_since, v.push_count
    FROM opportunity_versions v WHERE ${inForceAt(instant)})`;
}

/** `customers` as it stood at `instant` (same columns). */
export function customersAtSql(instant: Date | Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT v.customer_id, v.name, v.churn_risk, v.name_lower, v.customer_id_lower FROM customer_versions v WHERE ${inForceAt(instant)})`;
}

/** The first instant anything was recorded, or null when history is empty. */
export const HISTORY_STARTS_SQL = Prisma.sql`SELECT LEAST((SELECT MIN(valid_from) FROM opportunity_versions), (SELECT MIN(valid_from) FROM customer_versions)) AS starts`;
