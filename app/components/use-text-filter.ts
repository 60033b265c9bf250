"use client";

import { useEffect, useRef, useState } from "react";
import type { InputReading } from "@/lib/view/filter-inputs";

/** How long typing pauses before a text filter applies: the same rule for search, amounts and dates. */
export const TEXT_FILTER_DELAY_MS = 600;

export interface TextFilterOptions {
  /** The value the view uses (canonical), or undefined when the URL has none or it was ignored. */
  value: string | undefined;
  /** The URL's raw text for the parameter: differs from `value` when the page ignored it. */
  raw: string | null;
  read: (text: string) => InputReading;
  /** The box's text for a canonical value. */
  show?: (value: string | undefined) => string;
  apply: (value: string | undefined) => void;
}

/**
 * A text filter box that applies itself like the checkboxes do: a moment after typing stops,
 * or at once on Enter or when leaving the box. Text it cannot read stays in the box with the
 * reason beside it and is not applied. When the URL changes under it (back button, Clear, a
 * value the page ignored), the box shows what the view really uses.
 */
export function useTextFilter({ value, raw, read, show = (v) => v ?? "", apply }: TextFilterOptions) {
  const [text, setText] = useState(() => show(value));
  const [error, setError] = useState<string | null>(null);
  const [applied, setApplied] = useState(value);
  const [seen, setSeen] = useState(`${raw}\u0000${value}`);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Adjusted while rendering, not in an effect: a new URL replaces the text unless it is what this box asked for.
  const url = `${raw}\u0000${value}`;
  if (seen !== url) {
    setSeen(url);
    if (value !== applied) {
      setText(show(value));
      setApplied(value);
      setError(null);
    }
  }

  useEffect(() => {
    const pending = timer;
    return () => clearTimeout(pending.current);
  }, []);

  const commit = (next: string) => {
    clearTimeout(timer.current);
    const reading = read(next);
    if (!reading.ok) return;
    if (reading.value === applied) return;
    setApplied(reading.value);
    apply(reading.value);
  };

  return {
    text,
    error,
    onChange(next: string) {
      setText(next);
      const reading = read(next);
      setError(reading.ok ? null : reading.message);
      clearTimeout(timer.current);
      if (reading.ok) timer.current = setTimeout(() => commit(next), TEXT_FILTER_DELAY_MS);
    },
    /** Applies now (Enter, leaving the box, a date picked from the calendar). */
    commit,
    set(next: string) {
      setText(next);
      setError(null);
      commit(next);
    },
  };
}

export type TextFilter = ReturnType<typeof useTextFilter>;
