"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False while a component is server-rendered or hydrating, true once it is interactive: its
 * controls mark themselves with it (`data-hydrated`) so tests (and impatient scripts) know they
 * are interactive, not just painted. A component streamed in its own Suspense boundary hydrates
 * after the page's shell, so each marks its own.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
