import "server-only";
import type { Viewer } from "../auth/viewer";
import {
  listForecastSettingsAudit,
  readForecastSettings,
  type SettingChange,
  updateForecastSettings,
} from "../gtm-prisma/prisma-forecast-settings";
import { type ForecastSettingField, parseForecastSettings } from "../gtm/forecast-settings";
import { getDatabase } from "./request-context";

export type SettingsFormResult =
  { ok: true; changes: SettingChange[] } | { ok: false; errors: Partial<Record<ForecastSettingField, string>> };

/** What the admin page shows: the current settings and the latest changes. */
export async function loadForecastSettingsAdmin() {
  const { prisma } = await getDatabase();
  const [settings, audit] = await Promise.all([readForecastSettings(prisma), listForecastSettingsAudit(prisma)]);
  return { settings, audit };
}

/** Saves all the fields or none (each error names its field); the caller checked the viewer is an admin. */
export async function saveForecastSettings(
  viewer: Viewer,
  values: Record<ForecastSettingField, string>,
): Promise<SettingsFormResult> {
  const parsed = parseForecastSettings(values);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    changes: await updateForecastSettings(
      (await getDatabase()).prisma,
      { userId: viewer.userId, email: viewer.email },
      parsed.settings,
    ),
  };
}
