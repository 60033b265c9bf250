import type { CalendarDate } from "@/lib/gtm/calendar-date";
import { churnRiskTimeline, type CustomerVersion } from "@/lib/gtm/churn-risk-timeline";

/** Each change of the customer's churn risk, newest first, and how long it has held. */
export function ChurnRiskTimeline({
  versions,
  asOf,
  timeZone,
}: {
  versions: CustomerVersion[];
  asOf: CalendarDate;
  timeZone: string;
}) {
  const periods = churnRiskTimeline(versions, asOf, timeZone);
  return (
    <section className="card" aria-label="Churn risk timeline">
      <h2>Churn risk over time</h2>
      {periods.length === 0 ? (
        <p className="muted">No churn risk was recorded by this day.</p>
      ) : (
        <ol className="timeline">
          {periods.map((period) => (
            <li key={period.since}>
              <span className={`badge badge-${period.churnRisk}`}>{period.churnRisk}</span> since{" "}
              <time dateTime={period.since}>{period.since}</time>
              {period.until ? (
                <>
                  , until <time dateTime={period.until}>{period.until}</time>
                </>
              ) : null}
              , {period.days} {period.days === 1 ? "day" : "days"}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
