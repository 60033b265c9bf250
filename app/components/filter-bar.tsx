"use client";

import { type OwnerNames, ownerName, ownerNameAndId } from "@/lib/gtm/owner-names";
import Link from "next/link";
import { useId, useState } from "react";
import { useHydrated } from "./use-hydrated";
import type { FilterDescription } from "@/lib/dashboard/describe-filters";
import type { CalendarDate } from "@/lib/gtm/calendar-date";
import { CLOSE_DATE_PRESETS, type CloseDatePreset, closeDateRange, presetOf } from "@/lib/gtm/close-date-presets";
import { SALES_STAGES } from "@/lib/gtm/sales-stage";
import { STATUS_FILTERS } from "@/lib/gtm/status-filter";
import {
  formatAmountInput,
  readAmountInput,
  readDateInput,
  readSearchInput,
  readWholeNumberInput,
} from "@/lib/view/filter-inputs";
import { SALES_STAGE_LABELS, STATUS_FILTER_LABELS } from "@/lib/view/labels";
import { DateField, TextField } from "./filter-fields";
import { MultiSelect } from "./multi-select";
import { useTextFilter } from "./use-text-filter";
import { useUrlState } from "./use-url-state";

export interface FilterValues {
  owners: string[];
  stages: string[];
  /** The view's status: the parameter, else its default for the stages. */
  status: string;
  closeFrom?: string;
  closeTo?: string;
  minAmount?: string;
  maxAmount?: string;
  risk?: string;
  pushedMin?: string;
  stalledDays?: string;
  q?: string;
  asOf: string;
  today: string;
}

const STAGE_OPTIONS = SALES_STAGES.map((stage) => ({ value: stage, label: SALES_STAGE_LABELS[stage] }));

/**
 * The view's filters. Every control applies by itself: choices at once, typed values a
 * moment after typing stops (or on Enter). On a phone the form folds away behind a
 * "Filters (n)" button, with the active filters as chips that remove them.
 */
export function FilterBar({
  values,
  owners,
  ownerNames,
  active,
}: {
  values: FilterValues;
  owners: string[];
  /** The owners' display names: options read "Name (id)", so either can be typed to find one. */
  ownerNames: OwnerNames;
  active: FilterDescription[];
}) {
  const { update, hrefWith, pending, searchParams } = useUrlState();
  const formId = useId();
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  const textFilter = (
    param: "q" | "minAmount" | "maxAmount" | "closeFrom" | "closeTo" | "pushedMin" | "stalledDays",
    read: typeof readAmountInput,
    show?: (value: string | undefined) => string,
  ) => ({
    value: values[param],
    raw: searchParams.get(param),
    read,
    show,
    apply: (value: string | undefined) => update({ [param]: value }),
  });
  const q = useTextFilter(textFilter("q", readSearchInput));
  const minAmount = useTextFilter(textFilter("minAmount", readAmountInput, formatAmountInput));
  const maxAmount = useTextFilter(textFilter("maxAmount", readAmountInput, formatAmountInput));
  const closeFrom = useTextFilter(textFilter("closeFrom", readDateInput));
  const closeTo = useTextFilter(textFilter("closeTo", readDateInput));
  const pushedMin = useTextFilter(textFilter("pushedMin", readWholeNumberInput));
  const stalledDays = useTextFilter(textFilter("stalledDays", readWholeNumberInput));
  const asOf = useTextFilter({
    value: values.asOf,
    raw: searchParams.get("asOf"),
    read: readDateInput,
    apply: (value) => update({ asOf: value && value !== values.today ? value : undefined }),
  });
  const preset = presetOf(
    { closeFrom: values.closeFrom as CalendarDate, closeTo: values.closeTo as CalendarDate },
    values.asOf as CalendarDate,
  );
  const ownerOptions = owners.map((owner) => ({ value: owner, label: ownerNameAndId(owner, ownerNames) }));

  const choosePreset = (choice: string) => {
    if (choice === "") update({ closeFrom: undefined, closeTo: undefined });
    else if (choice !== "custom") update(closeDateRange(choice as CloseDatePreset, values.asOf as CalendarDate));
  };

  return (
    <div className={`filters${open ? " filters-open" : ""}`}>
      <div className="filters-summary">
        <button
          type="button"
          className="button button-secondary filters-toggle"
          aria-expanded={open}
          aria-controls={formId}
          onClick={() => setOpen(!open)}
        >
          Filters{active.length > 0 ? ` (${active.length})` : ""}
        </button>
        {active.length > 0 && (
          <ul className="filter-chips" aria-label="Active filters">
            {active.map((filter) => (
              <li key={filter.params.join()} className="chip">
                <span>{filter.text}</span>
                <Link
                  href={hrefWith(Object.fromEntries(filter.params.map((param) => [param, undefined])))}
                  scroll={false}
                  aria-label={`Remove filter: ${filter.text}`}
                >
                  ×
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form
        id={formId}
        className="filter-bar card"
        aria-label="Filters"
        aria-busy={pending}
        data-hydrated={hydrated || undefined}
        onSubmit={(event) => event.preventDefault()}
      >
        {owners.length === 1 ? (
          // A rep's view has one owner: a choice of one would only suggest there were others.
          <div className="field">
            <span className="field-label">Owner</span>
            <span className="field-fixed" data-testid="owner-fixed">
              {ownerName(owners[0], ownerNames)}
            </span>
          </div>
        ) : (
          <MultiSelect
            label="Owners"
            allLabel="All owners"
            options={ownerOptions}
            selected={values.owners}
            onChange={(owner) => update({ owner })}
            searchable
          />
        )}
        <div className="field">
          <label className="field-label" htmlFor="filter-status">
            Status
          </label>
          <select id="filter-status" value={values.status} onChange={(event) => update({ status: event.target.value })}>
            {STATUS_FILTERS.map((status) => (
              <option key={status} value={status}>
                {STATUS_FILTER_LABELS[status]}
              </option>
            ))}
          </select>
        </div>
        <MultiSelect
          label="Stages"
          allLabel="All stages"
          options={STAGE_OPTIONS}
          selected={values.stages}
          onChange={(stage) => update({ stage })}
        />
        <div className="field">
          <label className="field-label" htmlFor="filter-risk">
            Risk
          </label>
          <select
            id="filter-risk"
            value={values.risk ?? ""}
            onChange={(event) => update({ risk: event.target.value || undefined })}
          >
            <option value="">All opportunities</option>
            <option value="at-risk">At risk</option>
            <option value="overdue">Overdue</option>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="filter-close">
            Close date
          </label>
          <select
            id="filter-close"
            value={preset ?? (values.closeFrom || values.closeTo ? "custom" : "")}
            onChange={(event) => choosePreset(event.target.value)}
          >
            <option value="">Any date</option>
            {CLOSE_DATE_PRESETS.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
            <option value="custom">Custom range</option>
          </select>
        </div>
        <DateField id="filter-close-from" label="From" filter={closeFrom} />
        <DateField id="filter-close-to" label="To" filter={closeTo} />
        <TextField
          id="filter-min"
          label="Min amount"
          className="field-amount"
          inputMode="decimal"
          placeholder="e.g. 10k"
          filter={minAmount}
        />
        <TextField
          id="filter-max"
          label="Max amount"
          className="field-amount"
          inputMode="decimal"
          placeholder="any"
          filter={maxAmount}
        />
        <TextField
          id="filter-pushed-min"
          label="Pushed ≥"
          className="field-count"
          inputMode="numeric"
          placeholder="any"
          filter={pushedMin}
        />
        <TextField
          id="filter-stalled-days"
          label="Days in stage ≥"
          className="field-count"
          inputMode="numeric"
          placeholder="any"
          filter={stalledDays}
        />
        <TextField
          id="filter-q"
          label="Search"
          className="field-search"
          type="search"
          placeholder="Deal, customer or ID"
          filter={q}
        />
        <DateField id="filter-as-of" label="As of" filter={asOf} />
        <div className="field field-actions">
          <Link href="/" className="button button-secondary">
            Clear filters
          </Link>
        </div>
      </form>
    </div>
  );
}
