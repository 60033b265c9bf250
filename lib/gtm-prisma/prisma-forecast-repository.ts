import Decimal from "decimal.js";
import type { PrismaClient } from "../db/generated/client";
import type { ForecastTotals } from "../gtm/forecast";
import { assembleForecast, type Forecast, type OwnerForecast } from "../gtm/forecast-figures";
import type { ForecastPeriod } from "../gtm/forecast-period";
import type { ForecastRepository } from "../gtm/forecast-repository";
import type { ForecastSettings } from "../gtm/forecast-settings";
import type { PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { type ForecastRecord, forecastSql } from "./forecast-sql";
import { type PipelineReads, readThrough } from "./pipeline-read-cache";
import { type HistoryClock, pipelineSourceAt } from "./pipeline-source";
import { readForecastSettings, toForecastSettings } from "./prisma-forecast-settings";

function toTotals(record: ForecastRecord): ForecastTotals {
  return {
    won: new Decimal(record.won),
    lost: new Decimal(record.lost),
    pipeline: new Decimal(record.pipeline),
    openCommit: new Decimal(record.open_commit),
    openBestCase: new Decimal(record.open_best_case),
    weighted: new Decimal(record.weighted),
    haircut: new Decimal(record.haircut),
    quota: new Decimal(record.quota),
    gap: new Decimal(record.gap),
    windowWonCount: Number(record.window_won_count),
    windowLostCount: Number(record.window_lost_count),
    windowWonAmount: new Decimal(record.window_won_amount),
    windowLostAmount: new Decimal(record.window_lost_amount),
    windowWonCycleDays: Number(record.window_won_cycle_days),
  };
}

export class PrismaForecastRepository implements ForecastRepository {
  /**
   * Every read is narrowed to `scope` in SQL; with `history`, a past `asOf` reads the deals as
   * they stood that day; with `cache`, a forecast already read in the current state of the
   * pipeline, quotas, settings and teams costs no SQL (pipeline-read-cache.ts).
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly scope: PipelineScope,
    private readonly history?: HistoryClock,
    private readonly cache?: PipelineReads,
  ) {}

  forecast(period: ForecastPeriod, query: PipelineQuery): Promise<Forecast> {
    return readThrough(this.cache, ["forecast", this.scope, this.history ?? null, period, query], () =>
      this.readForecast(period, query),
    );
  }

  private async readForecast(period: ForecastPeriod, query: PipelineQuery): Promise<Forecast> {
    // One statement: the settings it reports are the ones its figures used.
    const records = await this.prisma.$queryRaw<ForecastRecord[]>(
      forecastSql(period, query, this.scope, pipelineSourceAt(query.asOf, this.history), this.history?.timeZone),
    );
    const settings = toForecastSettings(records[0]);
    const rows: OwnerForecast[] = [];
    const managerNames = new Map<string, string | null>();
    for (const record of records) {
      if (record.sales_owner === null) continue;
      rows.push({
        owner: record.sales_owner,
        ownerName: record.owner_name,
        manager: record.manager,
        totals: toTotals(record),
      });
      if (record.manager !== null) managerNames.set(record.manager, record.manager_name);
    }
    return assembleForecast(period, query.asOf, settings, rows, managerNames);
  }

  settings(): Promise<ForecastSettings> {
    return readForecastSettings(this.prisma);
  }
}
