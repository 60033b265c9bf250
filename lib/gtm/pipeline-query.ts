import Decimal from "decimal.js";
import { z } from "zod";
import { type CalendarDate, isCalendarDate } from "./calendar-date";
import { MAX_ID_LENGTH } from "./limits";
import { type SalesStage, SALES_STAGES } from "./sales-stage";
import { defaultStatusFilter, STATUS_FILTERS, type StatusFilter } from "./status-filter";

/**
 * Filters, sort and page of a pipeline view as one value. The page, the JSON API
 * and the export all parse the same URL parameters with `parsePipelineQuery`, so
 * an export always matches the screen. Contract: shared ARCHITECTURE.md.
 */
export interface PipelineQuery {
  owners: string[];
  stages: SalesStage[];
  /** Always set: the `status` parameter, else its default for `stages` (status-filter.ts). */
  status: StatusFilter;
  closeFrom?: CalendarDate;
  closeTo?: CalendarDate;
  minAmount?: Decimal;
  maxAmount?: Decimal;
  risk?: RiskFilter;
  /** Deals whose close date moved later at least this many times. */
  pushedMin?: number;
  /** Deals in their stage for at least this many days on asOf (deal-age.ts stalledSince). */
  stalledDays?: number;
  q?: string;
  sort: PipelineSort;
  page: number;
  pageSize: number;
  asOf: CalendarDate;
}

export const RISK_FILTERS = ["at-risk", "overdue"] as const;
export type RiskFilter = (typeof RISK_FILTERS)[number];

export const SORT_COLUMNS = [
  "oppId",
  "customerName",
  "churnRisk",
  "stage",
  "closeDate",
  "amount",
  "salesOwner",
  "status",
  "firstSeen",
  "daysInStage",
  "pushCount",
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = "asc" | "desc";
export interface PipelineSort {
  column: SortColumn;
  direction: SortDirection;
}

export const DEFAULT_SORT: PipelineSort = { column: "amount", direction: "desc" };
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_PAGE = 10_000_000;
const MAX_SEARCH_LENGTH = 200;
export const MAX_DEAL_AGE_FILTER = 100_000;

/** One URL parameter that was invalid, and why; the page ignores it, the API answers 400. */
export interface ParamIssue {
  param: string;
  message: string;
}

export interface ParsedPipelineQuery {
  query: PipelineQuery;
  issues: ParamIssue[];
}

// PostgreSQL text cannot hold U+0000; if let through, the query fails in the database and looks like an outage (503).
const noNul = (value: string) => !value.includes("\u0000");
const NUL_MESSAGE = "must not contain a NUL character (%00)";
const calendarDate = z.string().refine(isCalendarDate, "must be a real calendar date in YYYY-MM-DD form");
// NUMERIC(18,2): at most 16 integer digits and 2 decimals, never negative.
const amount = z
  .string()
  .regex(
    /^\d{1,16}(\.\d{1,2})?$/,
    "must be a non-negative decimal with at most two decimal places, like 1500 or 1500.50",
  )
  .transform((value) => new Decimal(value));
const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1, "must be at least 1").max(max, `must be at most ${max}`));
const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "must be a whole number, like 3")
    .transform(Number)
    .pipe(z.number().int().max(max, `must be at most ${max}`));

const SINGLE_PARAMS = {
  closeFrom: calendarDate,
  closeTo: calendarDate,
  minAmount: amount,
  maxAmount: amount,
  risk: z.enum(RISK_FILTERS, { error: `must be one of ${RISK_FILTERS.join(", ")}` }),
  status: z.enum(STATUS_FILTERS, { error: `must be one of ${STATUS_FILTERS.join(", ")}` }),
  pushedMin: wholeNumber(MAX_DEAL_AGE_FILTER),
  stalledDays: wholeNumber(MAX_DEAL_AGE_FILTER),
  q: z.string().max(MAX_SEARCH_LENGTH, `must be at most ${MAX_SEARCH_LENGTH} characters`).refine(noNul, NUL_MESSAGE),
  sort: z
    .string()
    .regex(
      new RegExp(`^(${SORT_COLUMNS.join("|")})\\.(asc|desc)$`),
      `must be <column>.<asc|desc> with column one of ${SORT_COLUMNS.join(", ")}`,
    )
    .transform((value): PipelineSort => {
      const [column, direction] = value.split(".");
      return { column: column as SortColumn, direction: direction as SortDirection };
    }),
  page: positiveInt(MAX_PAGE),
  pageSize: positiveInt(MAX_PAGE_SIZE),
  asOf: calendarDate,
} as const;

const ownerValue = z
  .string()
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .refine(noNul, NUL_MESSAGE);
const stageValue = z.enum(SALES_STAGES, { error: `must be one of ${SALES_STAGES.join(", ")}` });

type SingleParam = keyof typeof SINGLE_PARAMS;
type SingleValues = { [K in SingleParam]?: z.output<(typeof SINGLE_PARAMS)[K]> };

/**
 * Never throws: every invalid parameter is left out of the query and reported as
 * an issue. Empty values (an untouched form field) count as absent.
 */
export function parsePipelineQuery(params: URLSearchParams, today: CalendarDate): ParsedPipelineQuery {
  const issues: ParamIssue[] = [];
  const values: SingleValues = {};

  for (const param of Object.keys(SINGLE_PARAMS) as SingleParam[]) {
    const given = params
      .getAll(param)
      .map((value) => value.trim())
      .filter((value) => value !== "");
    if (given.length === 0) continue;
    if (given.length > 1) {
      issues.push({ param, message: "was given more than once" });
      continue;
    }
    const result = SINGLE_PARAMS[param].safeParse(given[0]);
    if (result.success) (values as Record<string, unknown>)[param] = result.data;
    else issues.push({ param, message: result.error.issues[0]?.message ?? "is invalid" });
  }

  const owners = parseList(params, "owner", ownerValue, issues);
  const stages = parseList(params, "stage", stageValue, issues);

  if (values.closeFrom && values.closeTo && values.closeTo < values.closeFrom) {
    issues.push({ param: "closeTo", message: `must not be before closeFrom (${values.closeFrom})` });
    delete values.closeTo;
  }
  if (values.minAmount && values.maxAmount && values.maxAmount.lessThan(values.minAmount)) {
    issues.push({ param: "maxAmount", message: `must not be less than minAmount (${values.minAmount.toFixed(2)})` });
    delete values.maxAmount;
  }

  return {
    query: {
      owners,
      stages,
      status: values.status ?? defaultStatusFilter(stages),
      closeFrom: values.closeFrom as CalendarDate | undefined,
      closeTo: values.closeTo as CalendarDate | undefined,
      minAmount: values.minAmount,
      maxAmount: values.maxAmount,
      risk: values.risk,
      pushedMin: values.pushedMin,
      stalledDays: values.stalledDays,
      q: values.q,
      sort: values.sort ?? DEFAULT_SORT,
      page: values.page ?? 1,
      pageSize: values.pageSize ?? DEFAULT_PAGE_SIZE,
      asOf: (values.asOf as CalendarDate | undefined) ?? today,
    },
    issues,
  };
}

function parseList<T>(params: URLSearchParams, param: string, schema: z.ZodType<T>, issues: ParamIssue[]): T[] {
  const parsed: T[] = [];
  for (const raw of params.getAll(param)) {
    const value = raw.trim();
    if (value === "") continue;
    const result = schema.safeParse(value);
    if (!result.success) {
      issues.push({ param, message: `"${truncate(value)}" ${result.error.issues[0]?.message ?? "is invalid"}` });
    } else if (!parsed.includes(result.data)) {
      parsed.push(result.data);
    }
  }
  return parsed;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/**
 * The URL parameters that reproduce a query, defaults left out so URLs stay short.
 * `asOf` is kept only when it differs from today, so a bookmarked view moves with time.
 */
export function pipelineQueryToParams(query: PipelineQuery, today: CalendarDate): URLSearchParams {
  const params = new URLSearchParams();
  for (const owner of query.owners) params.append("owner", owner);
  for (const stage of query.stages) params.append("stage", stage);
  if (query.status !== defaultStatusFilter(query.stages)) params.set("status", query.status);
  if (query.closeFrom) params.set("closeFrom", query.closeFrom);
  if (query.closeTo) params.set("closeTo", query.closeTo);
  if (query.minAmount) params.set("minAmount", query.minAmount.toFixed());
  if (query.maxAmount) params.set("maxAmount", query.maxAmount.toFixed());
  if (query.risk) params.set("risk", query.risk);
  if (query.pushedMin !== undefined) params.set("pushedMin", String(query.pushedMin));
  if (query.stalledDays !== undefined) params.set("stalledDays", String(query.stalledDays));
  if (query.q) params.set("q", query.q);
  if (query.sort.column !== DEFAULT_SORT.column || query.sort.direction !== DEFAULT_SORT.direction) {
    params.set("sort", `${query.sort.column}.${query.sort.direction}`);
  }
  if (query.page !== 1) params.set("page", String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(query.pageSize));
  if (query.asOf !== today) params.set("asOf", query.asOf);
  return params;
}
