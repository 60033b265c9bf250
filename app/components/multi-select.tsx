"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";

interface Option {
  value: string;
  label: string;
}

const SHOWN_AT_ONCE = 100;

/**
 * A disclosure with a checkbox list; with `searchable`, a filter box narrows long
 * lists (hundreds of owners), showing at most 100 matches at a time. The list is
 * rendered once the disclosure is first opened: closed, it is markup nobody sees,
 * and the server would render (and the browser hydrate) it on every page view.
 */
export function MultiSelect(props: {
  label: string;
  options: Option[];
  selected: string[];
  onChange: (values: string[]) => void;
  searchable?: boolean;
  allLabel: string;
}) {
  const { label, options, onChange, searchable, allLabel } = props;
  // Ticks show at once; the URL (and so `props.selected`) follows when the navigation lands.
  const [selected, setSelected] = useState(props.selected);
  const [shown, setShown] = useState(props.selected);
  if (shown !== props.selected) {
    setShown(props.selected);
    setSelected(props.selected);
  }
  const [filter, setFilter] = useState("");
  const [opened, setOpened] = useState(false);
  const details = useRef<HTMLDetailsElement>(null);
  // Opened before hydration (a click on the server's markup): fill the list now.
  useEffect(() => {
    if (details.current?.open) setOpened(true);
  }, []);
  const id = useId();
  const matches = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle ? options.filter((option) => option.label.toLowerCase().includes(needle)) : options;
  }, [filter, options]);
  const summary =
    selected.length === 0
      ? allLabel
      : selected.length === 1
        ? (options.find((o) => o.value === selected[0])?.label ?? selected[0])
        : `${selected.length} selected`;

  const choose = (values: string[]) => {
    setSelected(values);
    onChange(values);
  };
  const toggle = (value: string, checked: boolean) =>
    choose(checked ? [...selected, value] : selected.filter((item) => item !== value));

  return (
    <div className="field">
      <span className="field-label" id={`${id}-label`}>
        {label}
      </span>
      <details className="multi-select" ref={details} onToggle={(event) => event.currentTarget.open && setOpened(true)}>
        {/* A click renders the list in the same task that opens it (toggle fires a task later). */}
        <summary aria-labelledby={`${id}-label ${id}-value`} onClick={() => setOpened(true)}>
          <span id={`${id}-value`}>{summary}</span>
        </summary>
        <div className="multi-select-panel" role="group" aria-label={label}>
          {searchable && (
            <input
              type="search"
              className="multi-select-search"
              aria-label={`Search ${label.toLowerCase()}`}
              placeholder={`Search ${options.length} ${label.toLowerCase()}…`}
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
            />
          )}
          {selected.length > 0 && (
            <button type="button" className="link-button" onClick={() => choose([])}>
              Clear {label.toLowerCase()}
            </button>
          )}
          <ul>
            {opened &&
              matches.slice(0, SHOWN_AT_ONCE).map((option) => (
                <li key={option.value}>
                  <label>
                    <input
                      type="checkbox"
                      checked={selected.includes(option.value)}
                      onChange={(event) => toggle(option.value, event.target.checked)}
                    />
                    {option.label}
                  </label>
                </li>
              ))}
          </ul>
          {opened && matches.length > SHOWN_AT_ONCE && (
            <p className="muted small">{matches.length - SHOWN_AT_ONCE} more: type to narrow the list.</p>
          )}
          {matches.length === 0 && <p className="muted small">No match.</p>}
        </div>
      </details>
    </div>
  );
}
