import "server-only";
import { cache } from "react";
import type { Viewer } from "../auth/viewer";
import type { CalendarDate } from "../gtm/calendar-date";
import { type ForecastPeriod, monthPeriod, quarterContaining, shiftQuarter } from "../gtm/forecast-period";
import { type ForecastQuery, forecastQueryToParams, parseForecastQuery } from "../gtm/forecast-query";
import type { ForecastRepository } from "../gtm/forecast-repository";
import { toForecastJson } from "../gtm/forecast-wire";
import type { ParamIssue } from "../gtm/pipeline-query";
import { today } from "../today";
import { type SearchParamsRecord, toUrlSearchParams } from "./pipeline-view";

export interface ForecastView {
  viewer: Viewer;
  forecastRepository: ForecastRepository;
  query: ForecastQuery;
  issues: ParamIssue[];
  today: CalendarDate;
  /** The view's canonical URL parameters: the key of its data, and of its export. */
  search: string;
}

/** Reads the forecast page's URL into one query; invalid parameters become issues, never errors. */
export function readForecastView(
  record: SearchParamsRecord,
  context: { viewer: Viewer; forecastRepository: ForecastRepository },
): ForecastView {
  const now = today();
  const { query, issues } = parseForecastQuery(toUrlSearchParams(record), now);
  return { ...context, query, issues, today: now, search: forecastQueryToParams(query, now).toString() };
}

export const loadForecast = cache(async (view: ForecastView) =>
  toForecastJson(await view.forecastRepository.forecast(view.query.period, view.query.filters)),
);

/** The periods the picker offers: the last 4, the current and the next 2 quarters, the months of the current one, and the chosen one. */
export function forecastPeriodChoices(now: CalendarDate, chosen: ForecastPeriod): ForecastPeriod[] {
  const current = quarterContaining(now);
  const quarters = [-4, -3, -2, -1, 0, 1, 2].map((offset) => shiftQuarter(current, offset));
  const [year, month] = current.start.split("-").map(Number);
  const months = [0, 1, 2].map((offset) => monthPeriod(year, month + offset));
  const choices = [...quarters, ...months];
  return choices.some((period) => period.key === chosen.key) ? choices : [chosen, ...choices];
}
