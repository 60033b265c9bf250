import path from "node:path";
import type { SqlConnection, SqlDriver } from "../db/sql-driver";
import { GtmDomainError } from "../gtm/errors";
import { parseForecastPeriod } from "../gtm/forecast-period";
import { MAX_ID_LENGTH } from "../gtm/limits";
import { CsvSyntaxError, readCsvFile } from "./csv-reader";
import { amount, type FieldRule, MissingValue, NotUtf8, text } from "./field-rules";

export const QUOTA_COLUMNS = ["sales_owner", "period", "amount"] as const;

/** "2026-q1" is read as 2026-Q1; stored in the canonical form. */
const period: FieldRule = (value, column) => parseForecastPeriod(value.toUpperCase(), column).key;

const RULES: Record<(typeof QUOTA_COLUMNS)[number], FieldRule> = { sales_owner: text(MAX_ID_LENGTH), period, amount };

export interface QuotaImportProblem {
  file: string;
  line: number;
  column?: string;
  /** Names file, line, column, value and what to do, ready to print. */
  message: string;
}

export interface QuotaImportReport {
  /** `rejected`: nothing was written because of the problems listed. */
  outcome: "imported" | "dry-run" | "rejected";
  file: string;
  /** Data rows read (header and empty lines not counted). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  problems: QuotaImportProblem[];
  problemCount: number;
}

interface QuotaRow {
  line: number;
  salesOwner: string;
  period: string;
  amount: string;
}

const BATCH = 5_000;

/**
 * Imports a quotas CSV (`sales_owner,period,amount`, any column order) all-or-nothing:
 * any problem, and nothing is written. Rows are upserted by (sales owner, period), so
 * importing the same file again changes nothing. A quota file holds a few rows per owner,
 * so its rows are validated in memory before one transaction writes them.
 */
export async function importQuotas(
  db: { driver: SqlDriver },
  file: string,
  options: { dryRun?: boolean; maxProblems?: number } = {},
): Promise<QuotaImportReport> {
  const label = path.basename(file);
  const problems: QuotaImportProblem[] = [];
  const problem = (line: number, column: string | undefined, reason: string) =>
    problems.push({
      file: label,
      line,
      column,
      message:
        line === 0 ? `${label}: ${reason}` : `${label} line ${line}${column ? `, column ${column}` : ""}: ${reason}`,
    });
  const { rows, count } = await readQuotaRows(file, problem);
  flagRepeatedQuotas(rows, problem);
  const report: QuotaImportReport = {
    outcome: options.dryRun ? "dry-run" : "imported",
    file,
    rows: count,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    problems,
    problemCount: problems.length,
  };
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    return { ...report, outcome: "rejected", problems: problems.slice(0, options.maxProblems ?? 50) };
  }
  const counts = await db.driver.withConnection((connection) =>
    connection.transaction((tx) => (options.dryRun ? previewQuotas(tx, rows) : upsertQuotas(tx, rows))),
  );
  return { ...report, ...counts, unchanged: rows.length - counts.inserted - counts.updated };
}

type Problem = (line: number, column: string | undefined, reason: string) => void;

async function readQuotaRows(file: string, problem: Problem): Promise<{ rows: QuotaRow[]; count: number }> {
  const rows: QuotaRow[] = [];
  let positions: number[] | undefined;
  let width = 0;
  let count = 0;
  try {
    for await (const records of readCsvFile(file)) {
      for (const record of records) {
        const fields = record.fields.map((field) => field.replaceAll("\u0000", "\uFFFD").trim());
        if (positions === undefined) {
          const header = fields.map((name) => name.toLowerCase());
          const headerProblems = checkQuotaHeader(header);
          for (const reason of headerProblems) problem(record.line, undefined, reason);
          if (headerProblems.length > 0) return { rows, count };
          positions = QUOTA_COLUMNS.map((column) => header.indexOf(column));
          width = header.length;
          continue;
        }
        count++;
        const row = readQuotaRow(record.line, fields, record.malformed, positions, width, problem);
        if (row) rows.push(row);
      }
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    problem(error.line, undefined, `${error.reason}; the rest of the file was not read`);
  }
  if (positions === undefined)
    problem(0, undefined, `the file is empty; the first line must be the header ${QUOTA_COLUMNS.join(",")}`);
  return { rows, count };
}

function checkQuotaHeader(header: string[]): string[] {
  const expected = `the quotas file has exactly the columns ${QUOTA_COLUMNS.join(",")}`;
  if (header.some((name) => name.includes("\uFFFD")))
    return [`the header is not UTF-8 text; save the file as "CSV UTF-8" with the header ${QUOTA_COLUMNS.join(",")}`];
  const reasons: string[] = [];
  const unknown = header.filter((name) => !(QUOTA_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0)
    reasons.push(
      `unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => `"${name}"`).join(", ")} in the header; ${expected}`,
    );
  const missing = QUOTA_COLUMNS.filter((name) => !header.includes(name));
  if (missing.length > 0)
    reasons.push(
      `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in the header; ${expected}`,
    );
  const twice = QUOTA_COLUMNS.find((name) => header.indexOf(name) !== header.lastIndexOf(name));
  if (twice) reasons.push(`column ${twice} appears more than once in the header`);
  return reasons;
}

function readQuotaRow(
  line: number,
  fields: string[],
  malformed: string | undefined,
  positions: number[],
  width: number,
  problem: Problem,
): QuotaRow | undefined {
  let ok = true;
  if (malformed) {
    problem(line, undefined, malformed);
    ok = false;
  }
  if (fields.length !== width) {
    const hint = fields.length > width ? " (a value that contains a comma must be in double quotes)" : "";
    problem(line, undefined, `expected ${width} fields as in the header, found ${fields.length}${hint}`);
    return undefined;
  }
  const values = QUOTA_COLUMNS.map((column, k) => {
    const value = fields[positions[k]];
    try {
      if (value === "") throw new MissingValue(column);
      if (value.includes("\uFFFD")) throw new NotUtf8(column, value);
      return RULES[column](value, column);
    } catch (error) {
      if (!(error instanceof GtmDomainError)) throw error;
      problem(line, column, error.message);
      ok = false;
      return "";
    }
  });
  return ok ? { line, salesOwner: values[0], period: values[1], amount: values[2] } : undefined;
}

/** One quota per owner and period: every repetition after the first is a problem. */
function flagRepeatedQuotas(rows: QuotaRow[], problem: Problem): void {
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const key = JSON.stringify([row.salesOwner, row.period]);
    const first = firstLine.get(key);
    if (first === undefined) firstLine.set(key, row.line);
    else
      problem(
        row.line,
        undefined,
        `sales_owner "${row.salesOwner}" already has a quota for ${row.period} on line ${first}; keep one row per sales owner and period`,
      );
  }
}

async function upsertQuotas(tx: SqlConnection, rows: QuotaRow[]): Promise<{ inserted: number; updated: number }> {
  const counts = { inserted: 0, updated: 0 };
  for (let start = 0; start < rows.length; start += BATCH) {
    const [row] = await tx.query<{ inserted: number; updated: number }>(
      `WITH up AS (
         INSERT INTO quotas AS t (sales_owner, period, amount)
         SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[])
         ON CONFLICT (sales_owner, period) DO UPDATE SET amount = EXCLUDED.amount WHERE t.amount IS DISTINCT FROM EXCLUDED.amount
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`,
      columnsOf(rows.slice(start, start + BATCH)),
    );
    counts.inserted += row.inserted;
    counts.updated += row.updated;
  }
  return counts;
}

/** What upsertQuotas would do, read-only. */
async function previewQuotas(tx: SqlConnection, rows: QuotaRow[]): Promise<{ inserted: number; updated: number }> {
  const counts = { inserted: 0, updated: 0 };
  for (let start = 0; start < rows.length; start += BATCH) {
    const [row] = await tx.query<{ inserted: number; updated: number }>(
      `SELECT count(*) FILTER (WHERE t.sales_owner IS NULL)::int AS inserted,
              count(*) FILTER (WHERE t.sales_owner IS NOT NULL AND t.amount <> i.amount)::int AS updated
       FROM unnest($1::text[], $2::text[], $3::numeric[]) AS i(sales_owner, period, amount)
       LEFT JOIN quotas t ON t.sales_owner = i.sales_owner AND t.period = i.period`,
      columnsOf(rows.slice(start, start + BATCH)),
    );
    counts.inserted += row.inserted;
    counts.updated += row.updated;
  }
  return counts;
}

const columnsOf = (rows: QuotaRow[]) => [
  rows.map((row) => row.salesOwner),
  rows.map((row) => row.period),
  rows.map((row) => row.amount),
];
