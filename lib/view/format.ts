import Decimal from "decimal.js";

/**
 * How the screen writes numbers. One rule each: counts with thousands separators and a
 * plural that agrees ("1 opportunity"), percentages with one decimal rounded half up,
 * headline money compact with one decimal ($156.0M; the exact amount goes in the title
 * and the table), chart axes with as many digits as a tick needs ($1.35M, never $1.4M).
 */

const COUNT = new Intl.NumberFormat("en-US");

export function formatCount(count: number): string {
  return COUNT.format(count);
}

/** "1 opportunity", "2,345 opportunities". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/** `part` of `whole` as "12.4%"; null when `whole` is zero (a share of nothing is not a number). */
export function formatPercent(part: Decimal, whole: Decimal): string | null {
  if (whole.isZero()) return null;
  return `${part.dividedBy(whole).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1)}%`;
}

const USD_SHORT = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const USD_EXACT = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/**
 * Headline money: "$156.0M", "$42.5K"; under a thousand dollars the exact amount
 * ("$950.00"), where a compact form saves nothing. Intl reads the decimal string
 * exactly, so rounding happens once, here.
 */
export function formatUsdShort(amount: Decimal | string): string {
  const value = new Decimal(amount);
  const text = value.toFixed(2) as unknown as number;
  return value.abs().lessThan(1000) ? USD_EXACT.format(text) : USD_SHORT.format(text);
}

const USD_TICK = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  maximumSignificantDigits: 4,
});

/** A chart axis tick: as many digits as the tick has, up to four ($1.35M, $500K, $0). */
export function formatUsdTick(value: number): string {
  return USD_TICK.format(value);
}

const MONTH = new Intl.DateTimeFormat("en-US", { month: "short", year: "numeric", timeZone: "UTC" });

/** "2026-12" as "Dec 2026". */
export function formatMonth(month: string): string {
  return MONTH.format(new Date(`${month}-01T00:00:00Z`));
}
