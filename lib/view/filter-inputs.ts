import Decimal from "decimal.js";
import { isCalendarDate } from "../gtm/calendar-date";
import { MAX_DEAL_AGE_FILTER } from "../gtm/pipeline-query";

/**
 * What people type into the filter boxes, read into the URL's canonical form. The URL
 * (and the API) keep their strict form ("1000", "2026-12-31"); these are only the
 * boxes' way of understanding "$1,000", "1k" or "2.5m" on the way in.
 */
export type InputReading = { ok: true; value: string | undefined } | { ok: false; message: string };

export const AMOUNT_HINT = "Type an amount like 1000, $1,000, 1k or 2.5m";
export const DATE_HINT = "Type a date as YYYY-MM-DD, like 2026-12-31";

const SUFFIXES: Record<string, number> = { "": 1, k: 1_000, m: 1_000_000, b: 1_000_000_000 };
// Digits with or without thousands separators (commas in groups of three), an optional
// decimal part, then an optional k, m or b.
const AMOUNT = /^\$?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*([kmb]?)$/i;
const MAX_INTEGER_DIGITS = 16;

/** A dollar amount as a plain decimal string ("1k" -> "1000"); blank is no filter. */
export function readAmountInput(text: string): InputReading {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: undefined };
  if (/^-/.test(trimmed) || /^\$\s*-/.test(trimmed)) return { ok: false, message: "Amounts cannot be negative" };
  const match = AMOUNT.exec(trimmed);
  if (!match) return { ok: false, message: AMOUNT_HINT };
  const amount = new Decimal(match[1].replaceAll(",", "")).times(SUFFIXES[match[2].toLowerCase()]);
  if (amount.decimalPlaces() > 2) return { ok: false, message: "Amounts go to the cent: at most two decimal places" };
  if (amount.truncated().toFixed().length > MAX_INTEGER_DIGITS)
    return { ok: false, message: "That amount is too large" };
  return { ok: true, value: amount.toFixed() };
}

/** A calendar date as YYYY-MM-DD (single-digit months and days are padded); blank is no filter. */
export function readDateInput(text: string): InputReading {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: undefined };
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const value = match ? `${match[1]}-${match[2].padStart(2, "0")}-${match[3].padStart(2, "0")}` : "";
  if (!isCalendarDate(value)) return { ok: false, message: match ? "That day does not exist" : DATE_HINT };
  return { ok: true, value };
}

/** A canonical amount as the box shows it: thousands separated ("1250000.5" -> "1,250,000.5"). */
export function formatAmountInput(value: string | undefined): string {
  if (!value) return "";
  const [whole, fraction] = value.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A count typed into a box ("Pushed ≥ 2", "Days in stage ≥ 30"): a whole number; blank is no filter. */
export function readWholeNumberInput(text: string): InputReading {
  const trimmed = text.trim().replaceAll(",", "");
  if (trimmed === "") return { ok: true, value: undefined };
  if (!/^\d+$/.test(trimmed)) return { ok: false, message: "Type a whole number, like 3" };
  const value = Number(trimmed);
  if (value > MAX_DEAL_AGE_FILTER)
    return { ok: false, message: `At most ${MAX_DEAL_AGE_FILTER.toLocaleString("en-US")}` };
  return { ok: true, value: String(value) };
}

const MAX_SEARCH_LENGTH = 200;

/** The search box: any text up to 200 characters, trimmed; blank is no filter. */
export function readSearchInput(text: string): InputReading {
  const trimmed = text.trim();
  if (trimmed.length > MAX_SEARCH_LENGTH)
    return { ok: false, message: `Search at most ${MAX_SEARCH_LENGTH} characters` };
  return { ok: true, value: trimmed || undefined };
}
