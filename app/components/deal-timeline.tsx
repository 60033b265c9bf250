import { calendarDateAt } from "@/lib/gtm/calendar-date";
import {
  type OpportunityChange,
  opportunityTimeline,
  type OpportunityVersion,
  type TimelineEntry,
} from "@/lib/gtm/opportunity-timeline";
import { formatUsd } from "@/lib/money";
import { type OwnerNames, ownerName } from "@/lib/gtm/owner-names";
import { SALES_STAGE_LABELS } from "@/lib/view/labels";

function describeChange(change: OpportunityChange, names: OwnerNames): string {
  switch (change.field) {
    case "stage":
      return `Stage ${SALES_STAGE_LABELS[change.from]} -> ${SALES_STAGE_LABELS[change.to]}`;
    case "closeDate":
      return `Close date ${change.from} -> ${change.to}`;
    case "amount": {
      const difference = change.to.minus(change.from);
      return `Amount ${difference.isNegative() ? "down" : "up"} ${formatUsd(difference.abs())} (${formatUsd(change.from)} -> ${formatUsd(change.to)})`;
    }
    case "salesOwner":
      return `Owner ${ownerName(change.from, names)} -> ${ownerName(change.to, names)}`;
    case "customerId":
      return `Customer ${change.from} -> ${change.to}`;
  }
}

function describeEntry(entry: TimelineEntry, names: OwnerNames): string[] {
  switch (entry.kind) {
    case "recorded": {
      const { stage, closeDate, amount, salesOwner } = entry.version;
      return [
        `Recorded: ${SALES_STAGE_LABELS[stage]}, close date ${closeDate}, ${formatUsd(amount)}, owner ${ownerName(salesOwner, names)}`,
      ];
    }
    case "changed":
      return entry.changes.map((change) => describeChange(change, names));
    case "removed":
      return ["Removed (no longer in the CRM's snapshot)"];
  }
}

function source(entry: TimelineEntry): string {
  if (entry.kind === "removed" || !entry.run) return entry.kind === "removed" ? "" : "not from an import";
  const { id, source: command, effectiveDate } = entry.run;
  return `import #${id} (${command}${effectiveDate ? `, dated ${effectiveDate}` : ""})`;
}

/** Every version of the deal the viewer may see, newest first, with what changed, when (GTM_TIMEZONE) and from which import. */
export function DealTimeline({
  versions,
  timeZone,
  ownerNames,
}: {
  versions: OpportunityVersion[];
  timeZone: string;
  ownerNames: OwnerNames;
}) {
  const entries = opportunityTimeline(versions).reverse();
  return (
    <section className="card" aria-label="Deal timeline">
      <h2>Timeline</h2>
      {entries.length === 0 ? (
        <p className="muted">No recorded history of this deal while it was in your view.</p>
      ) : (
        <ol className="timeline">
          {entries.map((entry, index) => {
            const day = calendarDateAt(entry.at, timeZone);
            return (
              <li key={index}>
                <time dateTime={day}>{day}</time>
                <ul>
                  {describeEntry(entry, ownerNames).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
                {source(entry) && <span className="muted">{source(entry)}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
