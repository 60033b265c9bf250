import type { Forecast } from "./forecast-figures";
import type { ForecastPeriod } from "./forecast-period";
import type { ForecastSettings } from "./forecast-settings";
import type { PipelineQuery } from "./pipeline-query";

/** The forecast port; the adapter (PrismaForecastRepository) is built for one viewer's scope. */
export interface ForecastRepository {
  /**
   * The forecast of `period` as of `query.asOf`: a row per owner in scope with a deal in the
   * period's win-rate window or a quota within the period, their teams and the total. The
   * dashboard's owner, stage, amount, risk and search filters narrow the deals; its close
   * dates, sort and page do not apply (the period decides).
   */
  forecast(period: ForecastPeriod, query: PipelineQuery): Promise<Forecast>;
  settings(): Promise<ForecastSettings>;
}
