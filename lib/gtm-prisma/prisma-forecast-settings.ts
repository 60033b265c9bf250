import { randomUUID } from "node:crypto";
import Decimal from "decimal.js";
import { Prisma, type PrismaClient } from "../db/generated/client";
import {
  DEFAULT_FORECAST_SETTINGS,
  FORECAST_SETTING_FIELDS,
  type ForecastSettings,
  forecastSettingsValues,
} from "../gtm/forecast-settings";

/** The settings row's columns, as the forecast statement and the settings reader return them. */
export interface ForecastSettingsRecord {
  prospecting_probability: number;
  qualification_probability: number;
  proposal_probability: number;
  at_risk_haircut_percent: number;
  coverage_threshold: string;
}

export function toForecastSettings(record: ForecastSettingsRecord): ForecastSettings {
  return {
    stageProbabilities: {
      prospecting: Number(record.prospecting_probability),
      qualification: Number(record.qualification_probability),
      proposal: Number(record.proposal_probability),
    },
    atRiskHaircutPercent: Number(record.at_risk_haircut_percent),
    coverageThreshold: new Decimal(record.coverage_threshold),
  };
}

const SELECT_SETTINGS = Prisma.sql`SELECT prospecting_probability, qualification_probability, proposal_probability, at_risk_haircut_percent,
  coverage_threshold::text AS coverage_threshold FROM forecast_settings WHERE id = 1`;

/** The settings an admin last saved; the defaults should the row be missing. */
export async function readForecastSettings(prisma: PrismaClient): Promise<ForecastSettings> {
  const [record] = await prisma.$queryRaw<ForecastSettingsRecord[]>(SELECT_SETTINGS);
  return record ? toForecastSettings(record) : DEFAULT_FORECAST_SETTINGS;
}

export interface SettingChange {
  field: string;
  oldValue: string;
  newValue: string;
}

/** Saves `next` and records one audit row per field that changed, in one transaction; returns the changes. */
export async function updateForecastSettings(
  prisma: PrismaClient,
  who: { userId: string; email: string },
  next: ForecastSettings,
): Promise<SettingChange[]> {
  return prisma.$transaction(async (tx) => {
    const [record] = await tx.$queryRaw<ForecastSettingsRecord[]>(Prisma.sql`${SELECT_SETTINGS} FOR UPDATE`);
    const current = record ? toForecastSettings(record) : DEFAULT_FORECAST_SETTINGS;
    const [before, after] = [forecastSettingsValues(current), forecastSettingsValues(next)];
    const changes = FORECAST_SETTING_FIELDS.filter((field) => before[field] !== after[field]).map((field) => ({
      field,
      oldValue: before[field],
      newValue: after[field],
    }));
    if (changes.length === 0) return [];
    const values = {
      prospectingProbability: next.stageProbabilities.prospecting,
      qualificationProbability: next.stageProbabilities.qualification,
      proposalProbability: next.stageProbabilities.proposal,
      atRiskHaircutPercent: next.atRiskHaircutPercent,
      coverageThreshold: next.coverageThreshold.toFixed(2),
    };
    await tx.forecastSettings.upsert({ where: { id: 1 }, create: { id: 1, ...values }, update: values });
    await tx.forecastSettingsAudit.createMany({
      data: changes.map((change) => ({ id: randomUUID(), userId: who.userId, userEmail: who.email, ...change })),
    });
    return changes;
  });
}

export interface SettingAuditEntry extends SettingChange {
  userEmail: string;
  changedAt: Date;
}

/** The latest changes first. */
export async function listForecastSettingsAudit(prisma: PrismaClient, limit = 100): Promise<SettingAuditEntry[]> {
  return prisma.forecastSettingsAudit.findMany({
    orderBy: [{ changedAt: "desc" }, { id: "asc" }],
    take: limit,
    select: { field: true, oldValue: true, newValue: true, userEmail: true, changedAt: true },
  });
}
