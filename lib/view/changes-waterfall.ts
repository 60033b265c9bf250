import Decimal from "decimal.js";
import type { ChangesJson } from "../gtm/changes-wire";
import type { ChangeKind } from "../gtm/pipeline-changes";

export const CHANGE_KIND_LABELS: Record<ChangeKind, string> = {
  new: "New",
  pulled_in: "Pulled in",
  moved_in: "Moved in",
  increased: "Increased",
  decreased: "Decreased",
  won: "Won",
  lost: "Lost",
  pushed_out: "Pushed out",
  moved_out: "Moved out",
  removed: "Removed",
};

/** One bar of the waterfall: from `low` to `high` (decimal strings), `amount` what the bar stands for. */
export interface WaterfallStep {
  key: "start" | "end" | ChangeKind;
  label: string;
  amount: string;
  count: number;
  low: string;
  high: string;
  direction: "total" | "up" | "down";
}

/** Start, a floating bar per bucket running from the total before it to the total after, end; exact to the cent. */
export function waterfallSteps(changes: ChangesJson): WaterfallStep[] {
  const steps: WaterfallStep[] = [
    {
      key: "start",
      label: "Start",
      amount: changes.start.amount,
      count: changes.start.count,
      low: "0.00",
      high: changes.start.amount,
      direction: "total",
    },
  ];
  let running = new Decimal(changes.start.amount);
  for (const bucket of changes.buckets) {
    const next = running.plus(bucket.amount);
    steps.push({
      key: bucket.kind,
      label: CHANGE_KIND_LABELS[bucket.kind],
      amount: bucket.amount,
      count: bucket.count,
      low: Decimal.min(running, next).toFixed(2),
      high: Decimal.max(running, next).toFixed(2),
      direction: new Decimal(bucket.amount).isNegative() ? "down" : "up",
    });
    running = next;
  }
  steps.push({
    key: "end",
    label: "End",
    amount: changes.end.amount,
    count: changes.end.count,
    low: "0.00",
    high: changes.end.amount,
    direction: "total",
  });
  return steps;
}

/** True when no bar has any height: the chart says so in a line instead of drawing empty axes. */
export function isEmptyWaterfall(steps: WaterfallStep[]): boolean {
  return steps.every((step) => new Decimal(step.low).isZero() && new Decimal(step.high).isZero());
}
