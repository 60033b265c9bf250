"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";

export type ParamChanges = Record<string, string | string[] | undefined>;

/** The URL is the view's state: changes push a new URL (back/forward and bookmarks just work). */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();

  function hrefWith(changes: ParamChanges, options: { keepPage?: boolean } = {}): string {
    const params = new URLSearchParams(searchParams.toString());
    for (const [key, value] of Object.entries(changes)) {
      params.delete(key);
      for (const item of Array.isArray(value) ? value : value ? [value] : []) params.append(key, item);
    }
    // Any change of what is shown starts again at page 1.
    if (!options.keepPage) params.delete("page");
    const search = params.toString();
    return search ? `${pathname}?${search}` : pathname;
  }

  function update(changes: ParamChanges, options?: { keepPage?: boolean }) {
    startTransition(() => router.push(hrefWith(changes, options), { scroll: false }));
  }

  return { update, hrefWith, pending, searchParams };
}
