import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * A link in a list of rows, never prefetched. Next prefetches every link that scrolls into view:
 * one dashboard view of 50 deals asked the server ~80 times more (2-3 ms of its CPU each, ten
 * times the page's own render), and the forecast's admin view far more. Our pages are dynamic
 * with no loading state, so a prefetch brought only the route tree, which a click fetches anyway.
 */
export function RowLink(props: Omit<ComponentProps<typeof Link>, "prefetch">) {
  return <Link {...props} prefetch={false} />;
}
