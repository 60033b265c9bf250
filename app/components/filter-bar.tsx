"use client";

import Link from "next/link";
import { useState, useSyncExternalStore } from "react";
import type { CalendarDate } from "@/lib/gtm/calendar-date";
import { CLOSE_DATE_PRESETS, type CloseDatePreset, closeDateRange, presetOf } from "@/lib/gtm/close-date-presets";
import { SALES_STAGES } from "@/lib/gtm/sales-stage";
import { SALES_STAGE_LABELS } from "@/lib/view/labels";
import { MultiSelect } from "./multi-select";
import { useUrlState } from "./use-url-state";

export interface FilterValues {
  owners: string[];
  stages: string[];
  closeFrom?: string;
  closeTo?: string;
  minAmount?: string;
  maxAmount?: string;
  risk?: string;
  q?: string;
  asOf: string;
  today: string;
}

const STAGE_OPTIONS = SALES_STAGES.map((stage) => ({ value: stage, label: SALES_STAGE_LABELS[stage] }));

const noSubscription = () => () => {};

/** Text fields apply on Enter or when leaving the field; choices apply at once. */
function useDraft(value: string | undefined) {
  const [draft, setDraft] = useState(value ?? "");
  // A new URL value (navigation, back button) replaces the draft: adjusted while rendering, not in an effect.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setDraft(value ?? "");
  }
  return [draft, setDraft] as const;
}

export function FilterBar({ values, owners }: { values: FilterValues; owners: string[] }) {
  const { update, pending } = useUrlState();
  // Lets tests (and impatient scripts) know the controls are interactive, not just painted.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  const [q, setQ] = useDraft(values.q);
  const [minAmount, setMinAmount] = useDraft(values.minAmount);
  const [maxAmount, setMaxAmount] = useDraft(values.maxAmount);
  const asOf = values.asOf as CalendarDate;
  const preset = presetOf({ closeFrom: values.closeFrom as CalendarDate, closeTo: values.closeTo as CalendarDate }, asOf);
  const ownerOptions = owners.map((owner) => ({ value: owner, label: owner }));

  const applyText = () => {
    if (q !== (values.q ?? "") || minAmount !== (values.minAmount ?? "") || maxAmount !== (values.maxAmount ?? "")) {
      update({ q: q.trim() || undefined, minAmount: minAmount.trim() || undefined, maxAmount: maxAmount.trim() || undefined });
    }
  };

  const choosePreset = (choice: string) => {
    if (choice === "") update({ closeFrom: undefined, closeTo: undefined });
    else if (choice !== "custom") update(closeDateRange(choice as CloseDatePreset, asOf));
  };

  return (
    <form
      className="filter-bar card"
      aria-label="Filters"
      aria-busy={pending}
      data-hydrated={hydrated || undefined}
      onSubmit={(event) => {
        event.preventDefault();
        applyText();
      }}
    >
      <MultiSelect label="Owners" allLabel="All owners" options={ownerOptions} selected={values.owners} onChange={(owner) => update({ owner })} searchable />
      <MultiSelect label="Stages" allLabel="All stages" options={STAGE_OPTIONS} selected={values.stages} onChange={(stage) => update({ stage })} />
      <div className="field">
        <label className="field-label" htmlFor="filter-risk">Risk</label>
        <select id="filter-risk" value={values.risk ?? ""} onChange={(event) => update({ risk: event.target.value || undefined })}>
          <option value="">All opportunities</option>
          <option value="at-risk">At risk</option>
          <option value="overdue">Overdue</option>
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="filter-close">Close date</label>
        <select id="filter-close" value={preset ?? (values.closeFrom || values.closeTo ? "custom" : "")} onChange={(event) => choosePreset(event.target.value)}>
          <option value="">Any date</option>
          {CLOSE_DATE_PRESETS.map((option) => (
            <option key={option.id} value={option.id}>{option.label}</option>
          ))}
          <option value="custom">Custom range</option>
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="filter-close-from">From</label>
        <input id="filter-close-from" type="date" value={values.closeFrom ?? ""} onChange={(event) => update({ closeFrom: event.target.value || undefined })} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="filter-close-to">To</label>
        <input id="filter-close-to" type="date" value={values.closeTo ?? ""} onChange={(event) => update({ closeTo: event.target.value || undefined })} />
      </div>
      <div className="field field-amount">
        <label className="field-label" htmlFor="filter-min">Min amount</label>
        <input id="filter-min" inputMode="decimal" placeholder="0" value={minAmount} onChange={(event) => setMinAmount(event.target.value)} onBlur={applyText} />
      </div>
      <div className="field field-amount">
        <label className="field-label" htmlFor="filter-max">Max amount</label>
        <input id="filter-max" inputMode="decimal" placeholder="any" value={maxAmount} onChange={(event) => setMaxAmount(event.target.value)} onBlur={applyText} />
      </div>
      <div className="field field-search">
        <label className="field-label" htmlFor="filter-q">Search</label>
        <input id="filter-q" type="search" placeholder="Customer, customer ID or opportunity ID" value={q} onChange={(event) => setQ(event.target.value)} onBlur={applyText} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="filter-as-of">As of</label>
        <input id="filter-as-of" type="date" value={values.asOf} onChange={(event) => update({ asOf: event.target.value && event.target.value !== values.today ? event.target.value : undefined })} />
      </div>
      <div className="field field-actions">
        <button type="submit" className="button">Apply</button>
        <Link href="/" className="button button-secondary">Clear filters</Link>
      </div>
    </form>
  );
}
