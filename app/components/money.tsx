import type Decimal from "decimal.js";
import { formatUsd } from "@/lib/money";
import { formatUsdShort } from "@/lib/view/format";

/** Headline money: compact on screen ($156.0M), the exact amount in its tooltip. */
export function ShortMoney({ amount, testId }: { amount: Decimal | string; testId?: string }) {
  return (
    <span className="money-short" title={formatUsd(amount)} data-testid={testId}>
      {formatUsdShort(amount)}
    </span>
  );
}
