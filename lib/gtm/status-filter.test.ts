import { describe, expect, it } from "vitest";
import { SALES_STAGES, type SalesStage } from "./sales-stage";
import { defaultStatusFilter, figuresInView, STATUS_FILTERS, stagesInView } from "./status-filter";

describe("the stages of a view", () => {
  it("are its status's stages when it picks none", () => {
    expect(stagesInView({ status: "open", stages: [] })).toEqual(["prospecting", "qualification", "proposal"]);
    expect(stagesInView({ status: "won", stages: [] })).toEqual(["closed_won"]);
    expect(stagesInView({ status: "lost", stages: [] })).toEqual(["closed_lost"]);
    expect(stagesInView({ status: "closed", stages: [] })).toEqual(["closed_won", "closed_lost"]);
    expect(stagesInView({ status: "all", stages: [] })).toEqual([...SALES_STAGES]);
  });

  it("are the picked stages that its status admits, in pipeline order", () => {
    expect(stagesInView({ status: "all", stages: ["closed_won", "proposal"] })).toEqual(["proposal", "closed_won"]);
    expect(stagesInView({ status: "closed", stages: ["closed_won", "proposal"] })).toEqual(["closed_won"]);
    expect(stagesInView({ status: "won", stages: ["proposal"] })).toEqual([]);
  });

  it("split every stage between open, won and lost exactly once", () => {
    const parts = (["open", "won", "lost"] as const).flatMap((status) => stagesInView({ status, stages: [] }));
    expect([...parts].sort()).toEqual([...SALES_STAGES].sort());
    expect(STATUS_FILTERS).toEqual(["open", "won", "lost", "closed", "all"]);
  });
});

describe("the status of a view that names none", () => {
  it("is the open pipeline, unless a closed stage is picked; either way the picked stages alone decide", () => {
    expect(defaultStatusFilter([])).toBe("open");
    expect(defaultStatusFilter(["proposal"])).toBe("open");
    expect(defaultStatusFilter(["proposal", "closed_won"])).toBe("all");
    for (const stages of [["proposal"], ["closed_lost"], ["qualification", "closed_won"]] as SalesStage[][]) {
      expect(stagesInView({ status: defaultStatusFilter(stages), stages })).toEqual(
        SALES_STAGES.filter((stage) => stages.includes(stage)),
      );
    }
  });
});

describe("the figures of a view", () => {
  it("are the open ones for the open pipeline, won, lost and win rate for closed deals, all of them for every deal", () => {
    expect(figuresInView({ status: "open", stages: [] })).toEqual({ open: true, won: false, lost: false });
    expect(figuresInView({ status: "all", stages: ["closed_won"] })).toEqual({ open: false, won: true, lost: false });
    expect(figuresInView({ status: "closed", stages: [] })).toEqual({ open: false, won: true, lost: true });
    expect(figuresInView({ status: "all", stages: [] })).toEqual({ open: true, won: true, lost: true });
    expect(figuresInView({ status: "won", stages: ["proposal"] })).toEqual({ open: false, won: false, lost: false });
  });
});
