import { describe, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import { dashboardHref, detailSearch, returnSearch } from "./view-search";

const today = "2026-11-24" as CalendarDate;
const backFrom = (search: string) => dashboardHref(returnSearch(new URLSearchParams(search), today, ""));

describe("the way back from a detail page", () => {
  it("returns to the view it came from: filters, sort, page and columns", () => {
    const view = "owner=ana.silva&risk=at-risk&sort=closeDate.asc&page=3&columns=oppId,amount";
    const link = detailSearch(today, today, view);
    expect(link).toBe(`?from=${encodeURIComponent(view)}`);
    expect(backFrom(link.slice(1))).toBe(`/?${view.replace("columns=oppId,amount", "columns=oppId%2Camount")}`);
  });

  it("keeps a past asOf on the detail page and on the way back", () => {
    const link = detailSearch("2026-10-01" as CalendarDate, today, "asOf=2026-10-01&stage=proposal");
    expect(new URLSearchParams(link).get("asOf")).toBe("2026-10-01");
    expect(backFrom(link.slice(1))).toBe("/?stage=proposal&asOf=2026-10-01");
    expect(detailSearch("2026-10-01" as CalendarDate, today, "asOf=2026-10-01")).toBe("?asOf=2026-10-01");
    expect(detailSearch(today, today, "")).toBe("");
  });

  it.each([
    "from=//evil.example/path",
    "from=https://evil.example/",
    "from=/%2F%2Fevil.example",
    "from=javascript:alert(1)",
    "from=next%3D%2F%2Fevil.example%26owner%3Dana",
    "from=%0D%0ALocation:%20//evil",
  ])("is always this site's dashboard, whatever %s holds", (search) => {
    const href = backFrom(search);
    expect(href === "/" || href.startsWith("/?")).toBe(true);
    expect(href).not.toMatch(/evil|javascript|next=/i);
  });

  it("reads a view without `from` as the page's own", () => {
    expect(returnSearch(new URLSearchParams("asOf=2026-10-01"), today, "asOf=2026-10-01")).toBe("asOf=2026-10-01");
  });
});
