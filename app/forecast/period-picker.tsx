import type { ForecastView } from "@/lib/dashboard/forecast-view";
import type { ForecastPeriod } from "@/lib/gtm/forecast-period";

/** A plain GET form: the chosen period replaces the URL's, the view's other parameters ride along. */
export function PeriodPicker({ choices, view }: { choices: ForecastPeriod[]; view: ForecastView }) {
  const kept = [...new URLSearchParams(view.search)].filter(([name]) => name !== "period");
  return (
    <form className="filter-bar" method="get" action="/forecast" aria-label="Forecast period">
      {kept.map(([name, value], index) => (
        <input key={`${name}-${index}`} type="hidden" name={name} value={value} />
      ))}
      <div className="field">
        <label className="field-label" htmlFor="forecast-period">
          Period
        </label>
        <select id="forecast-period" name="period" defaultValue={view.query.period.key}>
          {choices.map((period) => (
            <option key={period.key} value={period.key}>
              {period.kind === "quarter" ? `${period.key} (${period.start} – ${period.end})` : `${period.key} (month)`}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-actions">
        <button type="submit" className="button">
          Show
        </button>
      </div>
    </form>
  );
}
