import Decimal from "decimal.js";
import { GtmDomainError } from "./errors";

export const FORECAST_CATEGORIES = ["pipeline", "best_case", "commit", "omitted"] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

export type OpenStage = "prospecting" | "qualification" | "proposal";
export const FORECAST_STAGES: readonly OpenStage[] = ["prospecting", "qualification", "proposal"];

/** A deal without a forecast category of its own takes its stage's. */
export const STAGE_FORECAST_CATEGORY: Record<OpenStage, ForecastCategory> = {
  prospecting: "pipeline",
  qualification: "pipeline",
  proposal: "best_case",
};

/** What an admin tunes on the settings page; every change is audited. */
export interface ForecastSettings {
  /** Whole percent 0-100 per open stage, for deals without a probability of their own. */
  stageProbabilities: Record<OpenStage, number>;
  /** Whole percent 0-100 cut from the weighted amount of an at-risk deal. */
  atRiskHaircutPercent: number;
  /** Coverage (pipeline / gap) below this many times is highlighted as short. */
  coverageThreshold: Decimal;
}

export const DEFAULT_FORECAST_SETTINGS: ForecastSettings = {
  stageProbabilities: { prospecting: 10, qualification: 25, proposal: 50 },
  atRiskHaircutPercent: 50,
  coverageThreshold: new Decimal(3),
};

export class InvalidForecastSetting extends GtmDomainError {
  constructor(field: string, value: string, expected: string) {
    super(field, `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}" is not valid: ${expected}`);
  }
}

export class InvalidForecastCategory extends GtmDomainError {
  constructor(value: string, field = "forecast_category") {
    super(field, `"${value}" is not a forecast category (expected one of ${FORECAST_CATEGORIES.join(", ")})`);
  }
}

export function isForecastCategory(value: string): value is ForecastCategory {
  return (FORECAST_CATEGORIES as readonly string[]).includes(value);
}

export function parseForecastCategory(value: string, field?: string): ForecastCategory {
  const normalized = value.trim().toLowerCase();
  if (!isForecastCategory(normalized)) throw new InvalidForecastCategory(value, field);
  return normalized;
}

/** A whole percent 0-100 (probabilities, the haircut), as typed by a person. */
export function parsePercent(value: string, field: string): number {
  const text = value.trim();
  if (!/^\d{1,3}$/.test(text) || Number(text) > 100)
    throw new InvalidForecastSetting(field, value, "use a whole percent from 0 to 100, like 25");
  return Number(text);
}

export const MAX_COVERAGE_THRESHOLD = 100;

/** A coverage threshold: a positive number of times, at most two decimals, like 3 or 2.5. */
export function parseCoverageThreshold(value: string, field = "coverageThreshold"): Decimal {
  const text = value.trim();
  const valid =
    /^\d{1,3}(\.\d{1,2})?$/.test(text) &&
    new Decimal(text).greaterThan(0) &&
    new Decimal(text).lessThanOrEqualTo(MAX_COVERAGE_THRESHOLD);
  if (!valid)
    throw new InvalidForecastSetting(
      field,
      value,
      `use a number of times above 0 and at most ${MAX_COVERAGE_THRESHOLD}, with at most two decimals, like 3 or 2.5`,
    );
  return new Decimal(text);
}

/** The settings as a form (or any text input) names them; the audit uses the same names. */
export const FORECAST_SETTING_FIELDS = [
  "prospectingProbability",
  "qualificationProbability",
  "proposalProbability",
  "atRiskHaircutPercent",
  "coverageThreshold",
] as const;
export type ForecastSettingField = (typeof FORECAST_SETTING_FIELDS)[number];

/** Every field checked, each problem under its field: all valid gives the settings, else the errors. */
export function parseForecastSettings(
  values: Record<ForecastSettingField, string>,
): { ok: true; settings: ForecastSettings } | { ok: false; errors: Partial<Record<ForecastSettingField, string>> } {
  const errors: Partial<Record<ForecastSettingField, string>> = {};
  const read = <T>(field: ForecastSettingField, parse: (value: string, field: string) => T): T | undefined => {
    try {
      return parse(values[field] ?? "", field);
    } catch (error) {
      if (!(error instanceof GtmDomainError)) throw error;
      errors[field] = error.message;
      return undefined;
    }
  };
  const prospecting = read("prospectingProbability", parsePercent);
  const qualification = read("qualificationProbability", parsePercent);
  const proposal = read("proposalProbability", parsePercent);
  const atRiskHaircutPercent = read("atRiskHaircutPercent", parsePercent);
  const coverageThreshold = read("coverageThreshold", parseCoverageThreshold);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      stageProbabilities: { prospecting: prospecting!, qualification: qualification!, proposal: proposal! },
      atRiskHaircutPercent: atRiskHaircutPercent!,
      coverageThreshold: coverageThreshold!,
    },
  };
}

/** The settings as the form shows them. */
export function forecastSettingsValues(settings: ForecastSettings): Record<ForecastSettingField, string> {
  return {
    prospectingProbability: String(settings.stageProbabilities.prospecting),
    qualificationProbability: String(settings.stageProbabilities.qualification),
    proposalProbability: String(settings.stageProbabilities.proposal),
    atRiskHaircutPercent: String(settings.atRiskHaircutPercent),
    coverageThreshold: settings.coverageThreshold.toFixed(2),
  };
}
