"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useRef, useTransition } from "react";

export type ParamChanges = Record<string, string | string[] | undefined>;

function withChanges(base: URLSearchParams, changes: ParamChanges, keepPage: boolean): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const [key, value] of Object.entries(changes)) {
    params.delete(key);
    for (const item of Array.isArray(value) ? value : value ? [value] : []) params.append(key, item);
  }
  // Any change of what is shown starts again at page 1.
  if (!keepPage) params.delete("page");
  return params;
}

/** The URL is the view's state: changes push a new URL (back/forward and bookmarks just work). */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  // The URL last pushed and the one it was pushed from: until the navigation lands, the next
  // change (a tick, then a debounced search a moment later) builds on it, not on the old URL.
  const inFlight = useRef<{ from: string; to: string } | null>(null);

  const hrefOf = (params: URLSearchParams) => {
    const search = params.toString();
    return search ? `${pathname}?${search}` : pathname;
  };

  function hrefWith(changes: ParamChanges, options: { keepPage?: boolean } = {}): string {
    return hrefOf(withChanges(searchParams, changes, options.keepPage ?? false));
  }

  function update(changes: ParamChanges, options: { keepPage?: boolean } = {}) {
    const here = window.location.href;
    const base =
      inFlight.current?.from === here
        ? new URL(inFlight.current.to, here).searchParams
        : new URLSearchParams(window.location.search);
    const href = hrefOf(withChanges(base, changes, options.keepPage ?? false));
    inFlight.current = { from: here, to: href };
    startTransition(() => router.push(href, { scroll: false }));
  }

  return { update, hrefWith, pending, searchParams };
}
