import type { Metadata } from "next";
import { Suspense } from "react";
import { ParamNotice } from "../components/param-notice";
import { TableSkeleton } from "../components/skeletons";
import { ForecastSection } from "./forecast-section";
import { PeriodPicker } from "./period-picker";
import { forecastPeriodChoices, readForecastView } from "@/lib/dashboard/forecast-view";
import type { SearchParamsRecord } from "@/lib/dashboard/pipeline-view";
import { requireForecastContext } from "@/lib/server/request-context";

export const metadata: Metadata = { title: "Forecast · Pipeline Risk" };

export default async function ForecastPage(props: { searchParams: Promise<SearchParamsRecord> }) {
  const view = readForecastView(await props.searchParams, await requireForecastContext("/forecast"));
  const { period, filters } = view.query;
  return (
    <>
      <div className="page-title">
        <h1>Forecast</h1>
        <p className="muted">
          Deals closing {period.start} to {period.end}, as of <time dateTime={filters.asOf}>{filters.asOf}</time>
          {filters.asOf !== view.today && " (not today)"}
        </p>
      </div>
      <ParamNotice issues={view.issues} />
      <PeriodPicker choices={forecastPeriodChoices(view.today, period)} view={view} />
      <Suspense key={view.search} fallback={<TableSkeleton label="Loading the forecast" />}>
        <ForecastSection view={view} />
      </Suspense>
    </>
  );
}
