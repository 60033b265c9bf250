/** Parameters of a page URL that do not apply to a file of the whole view. */
const NOT_FOR_EXPORT = ["page", "pageSize", "format", "bom"];

/**
 * The export URL for the view a page URL shows: same filters, sort and columns,
 * every page. The CSV starts with a BOM so Excel, which most people open it
 * with, reads accents correctly; scripts can call the API without `bom`.
 */
export function exportHref(search: string, format: "csv" | "xlsx"): string {
  const params = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  for (const name of NOT_FOR_EXPORT) params.delete(name);
  params.set("format", format);
  if (format === "csv") params.set("bom", "1");
  return `/api/export?${params.toString()}`;
}
