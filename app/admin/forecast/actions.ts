"use server";

import { revalidatePath } from "next/cache";
import { FORECAST_SETTING_FIELDS, type ForecastSettingField } from "@/lib/gtm/forecast-settings";
import { saveForecastSettings, type SettingsFormResult } from "@/lib/server/forecast-settings";
import { requireAdmin } from "@/lib/server/request-context";

export type SettingsFormState = (SettingsFormResult & { values: Record<ForecastSettingField, string> }) | null;

/** Admins only (checked again here: an action is a public endpoint); Next checks the Origin header. */
export async function saveForecastSettingsAction(
  _state: SettingsFormState,
  form: FormData,
): Promise<SettingsFormState> {
  const viewer = await requireAdmin("/admin/forecast");
  const values = Object.fromEntries(
    FORECAST_SETTING_FIELDS.map((field) => [field, String(form.get(field) ?? "")]),
  ) as Record<ForecastSettingField, string>;
  const result = await saveForecastSettings(viewer, values);
  if (result.ok) revalidatePath("/admin/forecast");
  return { ...result, values };
}
