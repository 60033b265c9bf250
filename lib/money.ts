import Decimal from "decimal.js";

export { Decimal };

export const ZERO = new Decimal(0);

/** Exact sum; never add money as JS numbers. */
export function sumMoney(amounts: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const amount of amounts) total = total.plus(amount);
  return total;
}

/** Two-place decimal string, the form amounts take in JSON and CSV ("1234.50"). */
export function toMoneyString(amount: Decimal): string {
  return amount.toFixed(2);
}

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usdCompact = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  maximumFractionDigits: 1,
});

/**
 * USD with cents. Intl formats a decimal string exactly (no float rounding),
 * so large amounts keep every digit.
 */
export function formatUsd(amount: Decimal | string): string {
  const text = typeof amount === "string" ? amount : amount.toFixed(2);
  return usd.format(text as unknown as number);
}

export function formatUsdCompact(amount: Decimal | string | number): string {
  const text = typeof amount === "object" ? amount.toFixed(2) : amount;
  return usdCompact.format(text as unknown as number);
}
