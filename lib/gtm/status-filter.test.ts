import { describe, expect, it } from "vitest";
import { SALES_STAGES } from "./sales-stage";
import { STATUS_FILTERS, stagesInView } from "./status-filter";

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
