import { isCalendarDate } from "../gtm/calendar-date";
import { parseChurnRisk } from "../gtm/customer";
import { GtmDomainError, InvalidAmount, InvalidCalendarDate } from "../gtm/errors";
import { InvalidForecastSetting, parseForecastCategory, parsePercent } from "../gtm/forecast-settings";
import { parseSalesStage } from "../gtm/sales-stage";

/**
 * One rule per imported value: each takes the trimmed text of a cell and returns the
 * value to store (as text; SQL casts it) or throws a GtmDomainError whose message says
 * what is wrong and how to fix it. Stage, churn risk and forecast category are the domain's
 * own parsers.
 */
export type FieldRule = (value: string, column: string) => string;

export class MissingValue extends GtmDomainError {
  constructor(field: string) {
    super(field, "a value is required");
  }
}

export class ValueTooLong extends GtmDomainError {
  constructor(field: string, value: string, max: number) {
    super(
      field,
      `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}" is too long: at most ${max} characters (found ${value.length})`,
    );
  }
}

export class InvalidProbability extends GtmDomainError {
  constructor(field: string, value: string, hint: string) {
    super(field, `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}" is not a probability: ${hint}`);
  }
}

export class NotUtf8 extends GtmDomainError {
  constructor(field: string, value: string) {
    super(field, `"${value}" contains bytes that are not UTF-8 (shown as �); save the file as UTF-8`);
  }
}

/** A text of at most `max` characters (ids, names, sales owners). */
export function text(max: number): FieldRule {
  return (value, column) => {
    if (value.length > max) throw new ValueTooLong(column, value, max);
    return value;
  };
}

export const stage: FieldRule = (value) => parseSalesStage(value);

export const churnRisk: FieldRule = (value) => parseChurnRisk(value);

export const forecastCategory: FieldRule = (value, column) => parseForecastCategory(value, column);

/** A whole percent from 0 to 100 ("007" is 7), the rule the forecast settings use too. */
export const probability: FieldRule = (value, column) => {
  try {
    return String(parsePercent(value, column));
  } catch (error) {
    if (error instanceof InvalidForecastSetting) throw new InvalidProbability(column, value, probabilityHint(value));
    throw error;
  }
};

function probabilityHint(value: string): string {
  const bare = value.replace(/\s*%$/, "");
  if (bare !== value && /^\d{1,3}$/.test(bare) && Number(bare) <= 100) return `leave out the % sign: ${Number(bare)}`;
  if (/^0?\.\d+$/.test(value)) return "use a whole percent, not a fraction (0.25 is 25)";
  return "use a whole percent from 0 to 100, like 25";
}

const SLASHED_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const DATE_WITH_TIME = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}/;
const ISO_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Dates already found valid. A file repeats a few thousand distinct dates over and over, and
 * the domain's check builds a Date for each (measurable at a million rows: BENCHMARKS.md,
 * "Measurements behind the code"); bounded, so a file of all-different dates costs what it did.
 */
const validDates = new Set<string>();
const MAX_CACHED_DATES = 50_000;

/** A calendar date in YYYY-MM-DD (close_date, created_date). */
export const calendarDate: FieldRule = (value, column) => {
  if (validDates.has(value)) return value;
  if (isCalendarDate(value)) {
    if (validDates.size < MAX_CACHED_DATES) validDates.add(value);
    return value;
  }
  const error = new InvalidCalendarDate(value, column);
  const hint = dateHint(value);
  if (hint) error.message += ` ${hint}`;
  throw error;
};

function dateHint(value: string): string {
  const withTime = DATE_WITH_TIME.exec(value);
  if (withTime && isCalendarDate(withTime[1])) return `(leave out the time: ${withTime[1]})`;
  const iso = ISO_SHAPE.exec(value);
  if (iso)
    return Number(iso[2]) > 12 || Number(iso[2]) < 1
      ? `(there is no month ${iso[2]})`
      : `(${iso[1]}-${iso[2]} has no day ${iso[3]})`;
  const slashed = SLASHED_DATE.exec(value);
  if (slashed) {
    const [first, second, year] = [Number(slashed[1]), Number(slashed[2]), slashed[3]];
    const pad = (n: number) => String(n).padStart(2, "0");
    const monthFirst = `${year}-${pad(first)}-${pad(second)}`;
    const dayFirst = `${year}-${pad(second)}-${pad(first)}`;
    const candidates = [...new Set([monthFirst, dayFirst].filter((date) => isCalendarDate(date)))];
    if (candidates.length === 2)
      return `(ambiguous: it could be ${candidates[0]} or ${candidates[1]}; write it as YYYY-MM-DD)`;
    if (candidates.length === 1) return `(write it as YYYY-MM-DD: ${candidates[0]})`;
  }
  return "";
}

const PLAIN_AMOUNT = /^\d+(\.\d{1,2})?$/;
const MAX_INTEGER_DIGITS = 16; // NUMERIC(18,2)
const ZERO = 48;

/** A non-negative decimal with at most two places, kept as text so no float ever touches it. */
export const amount: FieldRule = (value, column) => {
  if (PLAIN_AMOUNT.test(value)) {
    const dot = value.indexOf(".");
    const end = dot === -1 ? value.length : dot;
    let start = 0;
    while (start < end - 1 && value.charCodeAt(start) === ZERO) start++; // leading zeros do not count
    if (end - start > MAX_INTEGER_DIGITS)
      throw new InvalidAmount(value, `at most ${MAX_INTEGER_DIGITS} digits before the decimal point`, column);
    return value;
  }
  throw new InvalidAmount(value, amountHint(value), column);
};

function amountHint(value: string): string {
  if (value.startsWith("-")) return "amounts cannot be negative";
  const bare = value.replace(/^[$€£]\s*|\s*(USD|EUR|GBP)$/gi, "");
  if (bare !== value) {
    return PLAIN_AMOUNT.test(bare)
      ? `leave out the currency, like ${bare}`
      : "leave out the currency and use a plain decimal, like 1234.50";
  }
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) {
    return `use a plain decimal without thousands separators, like ${value.replace(/,/g, "")}`;
  }
  if (/^\d+,\d{1,2}$/.test(value))
    return "use a dot as the decimal separator and no thousands separators, like 1234.50";
  if (/^\d+\.\d{3,}$/.test(value)) return "use at most two decimal places (cents)";
  return "use a plain non-negative decimal with at most two places, like 1234.50";
}
