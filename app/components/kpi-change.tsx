import type Decimal from "decimal.js";
import Link from "next/link";
import type { TrendPoint } from "@/lib/gtm/at-risk-trend";
import { formatUsd } from "@/lib/money";
import { formatUsdShort } from "@/lib/view/format";

/**
 * A KPI's change since a week earlier, linking to the waterfall that explains it. `upIsGood`:
 * more open pipeline is good news, more at risk or overdue is not.
 */
export function KpiChange({
  now,
  weekAgo,
  href,
  upIsGood,
  testId,
}: {
  now: Decimal;
  weekAgo: Decimal;
  href: string;
  upIsGood: boolean;
  testId: string;
}) {
  const change = now.minus(weekAgo);
  const tone = change.isZero() ? "" : change.isPositive() === upIsGood ? " change-good" : " change-bad";
  const text = change.isZero() ? "No change" : `${change.isPositive() ? "+" : "−"}${formatUsdShort(change.abs())}`;
  return (
    <Link
      href={href}
      className={`kpi-change${tone}`}
      title={`${formatUsd(weekAgo)} a week earlier; change ${formatUsd(change)}`}
      data-testid={testId}
    >
      {text} vs last week
    </Link>
  );
}

const WIDTH = 120;
const HEIGHT = 32;

/** Revenue at risk at the end of each week, as a line; the exact figures are in its title and for screen readers. */
export function AtRiskSparkline({ points }: { points: TrendPoint[] }) {
  if (points.length < 2) return null;
  // Chart coordinates only: the figures themselves are never computed from these numbers.
  const values = points.map((point) => point.atRisk.toNumber());
  const [min, max] = [Math.min(...values), Math.max(...values)];
  // Scaled to the weeks' own range, as sparklines are: the shape of the change, not its size.
  const y = (value: number) => (max === min ? HEIGHT / 2 : HEIGHT - 1 - ((value - min) / (max - min)) * (HEIGHT - 2));
  const path = values
    .map((value, index) => `${((index / (values.length - 1)) * (WIDTH - 2) + 1).toFixed(1)},${y(value).toFixed(1)}`)
    .join(" ");
  const description = points.map((point) => `${point.day}: ${formatUsd(point.atRisk)}`).join("; ");
  return (
    <figure className="sparkline" data-testid="at-risk-trend">
      <svg
        width={WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Revenue at risk at the end of each of the last ${points.length} weeks: ${description}`}
      >
        <title>{`At risk, last ${points.length} weeks: ${description}`}</title>
        <polyline points={path} fill="none" stroke="var(--risk)" strokeWidth="1.5" />
      </svg>
      <figcaption className="muted small">{points.length} weeks</figcaption>
    </figure>
  );
}
