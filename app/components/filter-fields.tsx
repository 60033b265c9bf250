"use client";

import { useRef } from "react";
import type { TextFilter } from "./use-text-filter";

function FieldError({ id, error }: { id: string; error: string | null }) {
  return error ? (
    <p className="field-error" id={id} role="alert">
      {error}
    </p>
  ) : null;
}

const onEnter = (filter: TextFilter) => (event: React.KeyboardEvent<HTMLInputElement>) => {
  if (event.key === "Enter") {
    event.preventDefault();
    filter.commit(event.currentTarget.value);
  }
};

/** A text filter box with its label and, when it cannot read the text, the reason beside it. */
export function TextField(props: {
  id: string;
  label: string;
  filter: TextFilter;
  className?: string;
  placeholder?: string;
  type?: "search" | "text";
  inputMode?: "decimal" | "numeric" | "text";
}) {
  const { id, label, filter } = props;
  return (
    <div className={`field ${props.className ?? ""}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type={props.type ?? "text"}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        autoComplete="off"
        value={filter.text}
        aria-invalid={filter.error ? true : undefined}
        aria-describedby={filter.error ? `${id}-error` : undefined}
        onChange={(event) => filter.onChange(event.target.value)}
        onBlur={(event) => filter.commit(event.target.value)}
        onKeyDown={onEnter(filter)}
      />
      <FieldError id={`${id}-error`} error={filter.error} />
    </div>
  );
}

function CalendarIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <rect x="1.5" y="3" width="13" height="11.5" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor" strokeWidth="1.3" fill="none" />
    </svg>
  );
}

/**
 * A date typed as YYYY-MM-DD, the one date format of every screen, with a calendar to pick
 * from (the browser's own picker would show the date in its locale's format instead).
 */
export function DateField({ id, label, filter }: { id: string; label: string; filter: TextFilter }) {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <div className="field field-date">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="date-input">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          placeholder="YYYY-MM-DD"
          autoComplete="off"
          value={filter.text}
          aria-invalid={filter.error ? true : undefined}
          aria-describedby={filter.error ? `${id}-error` : undefined}
          onChange={(event) => filter.onChange(event.target.value)}
          onBlur={(event) => filter.commit(event.target.value)}
          onKeyDown={onEnter(filter)}
        />
        <button
          type="button"
          className="date-picker-button"
          aria-label={`Pick ${label.toLowerCase()} from a calendar`}
          onClick={() => picker.current?.showPicker()}
        >
          <CalendarIcon />
        </button>
        <input
          ref={picker}
          type="date"
          className="date-picker"
          tabIndex={-1}
          aria-hidden="true"
          value={/^\d{4}-\d{2}-\d{2}$/.test(filter.text) ? filter.text : ""}
          onChange={(event) => filter.set(event.target.value)}
        />
      </div>
      <FieldError id={`${id}-error`} error={filter.error} />
    </div>
  );
}
