"use client";

import { useActionState } from "react";
import { saveForecastSettingsAction, type SettingsFormState } from "./actions";
import type { ForecastSettingField } from "@/lib/gtm/forecast-settings";

const FIELDS = [
  { name: "prospectingProbability", label: "Prospecting probability (%)", hint: "0-100" },
  { name: "qualificationProbability", label: "Qualification probability (%)", hint: "0-100" },
  { name: "proposalProbability", label: "Proposal probability (%)", hint: "0-100" },
  {
    name: "atRiskHaircutPercent",
    label: "At-risk haircut (%)",
    hint: "0-100, cut from an at-risk deal's weighted amount",
  },
  { name: "coverageThreshold", label: "Coverage threshold (×)", hint: "above 0, e.g. 3 or 2.5" },
] as const;

export function ForecastSettingsForm({ current }: { current: Record<ForecastSettingField, string> }) {
  const [state, action, pending] = useActionState<SettingsFormState, FormData>(saveForecastSettingsAction, null);
  const values = state?.values ?? current;
  const errors = state && !state.ok ? state.errors : {};
  return (
    <form action={action} className="filter-bar" aria-label="Forecast settings">
      {FIELDS.map((field) => (
        <label key={field.name} className="field">
          <span className="field-label">{field.label}</span>
          <input
            name={field.name}
            defaultValue={values[field.name]}
            key={`${field.name}-${values[field.name]}`}
            inputMode="decimal"
            aria-invalid={errors[field.name] ? true : undefined}
            aria-describedby={`${field.name}-hint`}
          />
          <span id={`${field.name}-hint`} className={errors[field.name] ? "form-error" : "muted small"}>
            {errors[field.name] ?? field.hint}
          </span>
        </label>
      ))}
      <div className="field field-actions">
        <button type="submit" className="button" disabled={pending}>
          Save settings
        </button>
      </div>
      {state && !state.ok && (
        <p className="form-error" role="alert">
          Nothing was saved: fix the fields marked above.
        </p>
      )}
      {state?.ok && (
        <p role="status" style={{ flexBasis: "100%" }}>
          {state.changes.length === 0
            ? "Nothing changed."
            : `Saved: ${state.changes.map((change) => `${change.field} ${change.oldValue} → ${change.newValue}`).join(", ")}.`}
        </p>
      )}
    </form>
  );
}
