/**
 * A dynamic route segment as its link meant it (`/customers/A%20B` -> `A B`), or
 * null when it is not valid percent-encoded UTF-8 (`%zz`, `%C0%AF`): no record
 * can have such an id, so callers answer 404 (`decodeRouteParam(id) ?? notFound()`).
 */
export function decodeRouteParam(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
}

/** A path that no link of ours produces: a `%` escape that is not percent-encoded UTF-8. */
export function hasMalformedEscape(path: string): boolean {
  return decodeRouteParam(path) === null;
}
