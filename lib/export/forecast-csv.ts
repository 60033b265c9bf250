import { csvRecord } from "../csv/csv-field";
import type { ForecastQuery } from "../gtm/forecast-query";
import type { ForecastJson } from "../gtm/forecast-wire";
import { FORECAST_COLUMNS, forecastTableRows } from "../view/forecast-table";
import { neutralizeCell } from "./neutralize-cell";

/**
 * The forecast table as CSV: the rows the screen shows, in its order (reps, team totals, the
 * total), with its columns; figures as the API writes them (amounts "1234.50", ratios "0.2500").
 */
export function forecastCsv(forecast: ForecastJson, query: ForecastQuery, options: { bom?: boolean } = {}): string {
  const lines = [csvRecord(["Row", "Sales owner", ...FORECAST_COLUMNS.map((column) => column.label)])];
  for (const row of forecastTableRows(forecast, query.sort)) {
    const values = FORECAST_COLUMNS.map((column) => String(column.value(row.figures) ?? ""));
    lines.push(csvRecord([neutralizeCell(row.label), row.kind === "rep" ? neutralizeCell(row.owner) : "", ...values]));
  }
  return (options.bom ? "\uFEFF" : "") + lines.join("");
}

export function forecastFileName(forecast: ForecastJson): string {
  return `forecast-${forecast.period.key.toLowerCase()}-${forecast.asOf}.csv`;
}
