import { ForecastChart } from "./forecast-chart";
import { ForecastTable } from "./forecast-table";
import { type ForecastView, loadForecast } from "@/lib/dashboard/forecast-view";
import { forecastTableRows, ownerLabel } from "@/lib/view/forecast-table";

export async function ForecastSection({ view }: { view: ForecastView }) {
  const forecast = await loadForecast(view);
  const rows = forecastTableRows(forecast, view.query.sort);
  const exportParams = new URLSearchParams(view.search);
  exportParams.set("format", "csv");
  return (
    <>
      <ForecastChart
        reps={forecast.rows.map((row) => ({
          key: row.owner,
          label: ownerLabel(row.owner, row.ownerName),
          won: row.won,
          commit: row.commit,
          bestCase: row.bestCase,
          pipeline: row.pipeline,
          quota: row.quota,
        }))}
      />
      <ForecastTable rows={rows} view={view} coverageThreshold={forecast.coverageThreshold} />
      <div className="export-links" role="group" aria-label="Export this forecast">
        <span>Export the table as shown:</span>{" "}
        <a className="link-button" href={`/api/forecast?${exportParams.toString()}`} download>
          CSV
        </a>
      </div>
    </>
  );
}
