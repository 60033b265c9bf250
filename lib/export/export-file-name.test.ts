import { describe, expect, it } from "vitest";
import { parsePipelineQuery } from "../gtm/pipeline-query";
import type { CalendarDate } from "../gtm/calendar-date";
import { contentDisposition, exportFileName } from "./export-file-name";

const today = "2026-11-24" as CalendarDate;
const name = (search: string, ext = "csv") =>
  exportFileName(parsePipelineQuery(new URLSearchParams(search), today).query, ext);

describe("exportFileName", () => {
  it("says what the file holds", () => {
    expect(name("")).toBe("pipeline-2026-11-24.csv");
    expect(name("risk=at-risk")).toBe("pipeline-at-risk-2026-11-24.csv");
    expect(name("risk=overdue&owner=Ana.Silva&stage=proposal", "xlsx")).toBe(
      "pipeline-ana.silva-proposal-overdue-2026-11-24.xlsx",
    );
    expect(name("minAmount=10&asOf=2026-01-31")).toBe("pipeline-filtered-2026-01-31.csv");
    expect(name("status=won")).toBe("pipeline-won-2026-11-24.csv");
    expect(name("status=all&risk=overdue")).toBe("pipeline-all-overdue-2026-11-24.csv");
    expect(name("stage=closed_lost")).toBe("pipeline-closed-lost-2026-11-24.csv");
  });

  it("keeps only safe characters, whatever the owner id", () => {
    expect(name(`owner=${encodeURIComponent('../"evil"\r\nx')}`)).toBe("pipeline-evil-x-2026-11-24.csv");
    expect(contentDisposition("pipeline-2026-11-24.csv")).toBe(
      `attachment; filename="pipeline-2026-11-24.csv"; filename*=UTF-8''pipeline-2026-11-24.csv`,
    );
  });
});
