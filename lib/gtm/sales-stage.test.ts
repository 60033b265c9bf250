import { describe, expect, it } from "vitest";
import { InvalidSalesStage } from "./errors";
import { isOpen, OPEN_STAGES, parseSalesStage, SALES_STAGES } from "./sales-stage";

describe("SalesStage", () => {
  it("has the seed's five stages, of which all but closed_won and closed_lost are open", () => {
    expect(SALES_STAGES).toEqual(["prospecting", "qualification", "proposal", "closed_won", "closed_lost"]);
    expect(SALES_STAGES.filter(isOpen)).toEqual(["prospecting", "qualification", "proposal"]);
    expect(OPEN_STAGES).toEqual(["prospecting", "qualification", "proposal"]);
  });

  it("parses any letter case and surrounding spaces", () => {
    expect(parseSalesStage(" Closed_Won ")).toBe("closed_won");
  });

  it("rejects an unknown stage with a named error listing the valid ones", () => {
    expect(() => parseSalesStage("negotiation")).toThrow(InvalidSalesStage);
    expect(() => parseSalesStage("negotiation")).toThrow(
      /"negotiation" is not a sales stage \(expected one of prospecting/,
    );
  });
});
