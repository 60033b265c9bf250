import Decimal from "decimal.js";
import { Prisma } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import type { ChurnRisk } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";
import type { PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineRow } from "../gtm/pipeline-row";
import type { PipelineRowText } from "../gtm/pipeline-wire";
import type { PipelineSummary } from "../gtm/pipeline-summary";
import { SALES_STAGES, type SalesStage } from "../gtm/sales-stage";
import { daysInStageSql, firstSeenDaySql, statusFromRank, statusRankSql } from "./pipeline-sql";

/** Rows as the database gives them, and the one boundary where they become the domain's rows. */

/** A pipeline row's columns, in the order of pipelineColumnsSql: COPY gives them by position, queries by these names. */
const PIPELINE_COLUMNS = [
  "opp_id",
  "customer_id",
  "stage",
  "close_date",
  "amount",
  "sales_owner",
  "customer_name",
  "churn_risk",
  "status_rank",
  "first_seen",
  "days_in_stage",
  "push_count",
  "name",
] as const;

/** A pipeline row read by name, with its sort key as text for keyset paging. */
export interface PipelineRecord {
  opp_id: string;
  customer_id: string;
  stage: string;
  /** YYYY-MM-DD */
  close_date: string;
  /** NUMERIC as text */
  amount: string;
  sales_owner: string;
  customer_name: string;
  churn_risk: string;
  status_rank: number;
  /** YYYY-MM-DD, the local day in the business time zone */
  first_seen: string;
  days_in_stage: number;
  push_count: number;
  name: string | null;
  sort_value: string;
}

/**
 * The columns of PIPELINE_COLUMNS, in its order. Amount and date as text: no Decimal/Date
 * round trip per row (exports map millions). Deal age in `timeZone` (GTM_TIMEZONE): the SQL
 * statement of lib/gtm/deal-age.ts's calendarDateAt and daysInStage; a test proves they agree.
 */
export function pipelineColumnsSql(query: PipelineQuery, timeZone: string): Prisma.Sql {
  return Prisma.sql`o.opp_id, o.customer_id, o.stage::text AS stage, to_char(o.close_date, 'YYYY-MM-DD') AS close_date,
             o.amount::text AS amount, o.sales_owner, c.name AS customer_name, c.churn_risk::text AS churn_risk,
             ${statusRankSql(query.asOf, "joined")} AS status_rank,
             to_char(${firstSeenDaySql(timeZone)}, 'YYYY-MM-DD') AS first_seen,
             ${daysInStageSql(query.asOf, timeZone)} AS days_in_stage, o.push_count, o.name`;
}

// NUMERIC(18,2) as text is already two-place; anything else goes through Decimal, so the
// text always equals toMoneyString's (never through a float).
const TWO_PLACES = /^-?\d+\.\d\d$/;

/**
 * THE mapping of a pipeline row: its columns by position, in PIPELINE_COLUMNS order. COPY's
 * fields come this way (the export reads millions: no record object in between); a record
 * read by name is put in this order first (pipelineRowTextOf).
 */
export function pipelineRowText(fields: readonly (string | number | null)[]): PipelineRowText {
  if (fields.length !== PIPELINE_COLUMNS.length)
    throw new RangeError(`a pipeline row has ${fields.length} fields, expected ${PIPELINE_COLUMNS.length}`);
  const amount = String(fields[4]);
  return {
    oppId: fields[0] as string,
    customerId: fields[1] as string,
    stage: fields[2] as SalesStage,
    closeDate: fields[3] as CalendarDate,
    amount: TWO_PLACES.test(amount) ? amount : new Decimal(amount).toFixed(2),
    salesOwner: fields[5] as string,
    customerName: fields[6] as string,
    churnRisk: fields[7] as ChurnRisk,
    status: statusFromRank(Number(fields[8])),
    firstSeen: fields[9] as CalendarDate,
    daysInStage: Number(fields[10]),
    pushCount: Number(fields[11]),
    name: fields[12] as string | null,
  };
}

export function pipelineRowTextOf(record: PipelineRecord): PipelineRowText {
  return pipelineRowText(PIPELINE_COLUMNS.map((column) => record[column]));
}

/** The opportunity fields of a pipeline record (the customer's columns may be absent). */
export function opportunityOf(
  record: Pick<PipelineRecord, "opp_id" | "customer_id" | "stage" | "close_date" | "amount" | "sales_owner">,
): Opportunity {
  return {
    oppId: record.opp_id,
    customerId: record.customer_id,
    stage: record.stage as SalesStage,
    closeDate: record.close_date as CalendarDate,
    amount: new Decimal(record.amount),
    salesOwner: record.sales_owner,
  };
}

export function pipelineRowOf(record: PipelineRecord): PipelineRow {
  const text = pipelineRowTextOf(record);
  return { ...text, amount: new Decimal(text.amount) };
}

/**
 * A row of the summary statement (pipeline-summary-sql.ts): the figures of one group of the
 * filtered set. Sums of money as NUMERIC text: one exact parse into decimal.js, no
 * Prisma.Decimal in between.
 */
export interface SummaryGroupRecord {
  grouped_by: "total" | "stage" | "owner" | "day";
  key: string;
  count: bigint | null;
  amount: string | null;
  open: string | null;
  open_count: bigint | null;
  at_risk: string | null;
  at_risk_count: bigint | null;
  overdue: string | null;
  overdue_count: bigint | null;
  won: string | null;
  won_count: bigint | null;
  lost: string | null;
  lost_count: bigint | null;
}

const toDecimal = (value: string | null): Decimal => new Decimal(value ?? 0);
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The summary of the groups; owners and months are charted for open deals, so those without any are left out. */
export function summaryOf(asOf: CalendarDate, groups: SummaryGroupRecord[]): PipelineSummary {
  const figures = groups.map((group) => ({
    groupedBy: group.grouped_by,
    key: group.key,
    count: Number(group.count ?? 0),
    amount: toDecimal(group.amount),
    open: toDecimal(group.open),
    openCount: Number(group.open_count ?? 0),
    atRisk: toDecimal(group.at_risk),
    atRiskCount: Number(group.at_risk_count ?? 0),
    overdue: toDecimal(group.overdue),
    overdueCount: Number(group.overdue_count ?? 0),
    won: toDecimal(group.won),
    wonCount: Number(group.won_count ?? 0),
    lost: toDecimal(group.lost),
    lostCount: Number(group.lost_count ?? 0),
  }));
  const total = figures.find((group) => group.groupedBy === "total")!;
  const openIn = (groupedBy: SummaryGroupRecord["grouped_by"]) =>
    figures.filter((group) => group.groupedBy === groupedBy && group.openCount > 0);
  return {
    asOf,
    totals: {
      count: total.count,
      amount: total.amount,
      openPipeline: total.open,
      openCount: total.openCount,
      atRisk: total.atRisk,
      atRiskCount: total.atRiskCount,
      overdue: total.overdue,
      overdueCount: total.overdueCount,
      won: total.won,
      wonCount: total.wonCount,
      lost: total.lost,
      lostCount: total.lostCount,
    },
    byStage: figures
      .filter((group) => group.groupedBy === "stage")
      .map((group) => ({
        stage: group.key as SalesStage,
        count: group.count,
        amount: group.amount,
        open: group.open,
        atRisk: group.atRisk,
      }))
      .sort((a, b) => SALES_STAGES.indexOf(a.stage) - SALES_STAGES.indexOf(b.stage)),
    byOwner: openIn("owner")
      .map((group) => ({
        owner: group.key,
        open: group.open,
        openCount: group.openCount,
        atRisk: group.atRisk,
        atRiskCount: group.atRiskCount,
        overdue: group.overdue,
        overdueCount: group.overdueCount,
      }))
      .sort((a, b) => b.atRisk.comparedTo(a.atRisk) || b.open.comparedTo(a.open) || compareText(a.owner, b.owner)),
    byCloseMonth: sumByMonth(openIn("day")),
  };
}

/** Close-date groups ("YYYY-MM-DD") added up per close month, oldest first. */
function sumByMonth(days: { key: string; open: Decimal; atRisk: Decimal }[]): PipelineSummary["byCloseMonth"] {
  const months = new Map<string, { month: string; open: Decimal; atRisk: Decimal }>();
  for (const day of days) {
    const month = day.key.slice(0, 7);
    const sum = months.get(month);
    months.set(
      month,
      sum
        ? { month, open: sum.open.plus(day.open), atRisk: sum.atRisk.plus(day.atRisk) }
        : { month, open: day.open, atRisk: day.atRisk },
    );
  }
  return [...months.values()].sort((a, b) => compareText(a.month, b.month));
}
