import { describe, expect, it } from "vitest";
import { describeScope, scopeForRole, scopeName } from "./scope";

describe("what each role may see", () => {
  it("gives admins everything, reps their own owner id, managers their team and themselves", () => {
    expect(scopeForRole("admin", null, [])).toEqual({ kind: "all" });
    expect(scopeForRole("rep", "ana.silva", ["ignored"])).toEqual({ kind: "owners", owners: ["ana.silva"] });
    expect(scopeForRole("manager", "mgr.one", ["b.rep", "a.rep", "b.rep"])).toEqual({
      kind: "owners",
      owners: ["a.rep", "b.rep", "mgr.one"],
    });
  });

  it("gives nothing to a rep or manager not linked to an owner id, never everything", () => {
    expect(scopeForRole("rep", null, [])).toEqual({ kind: "owners", owners: [] });
    expect(scopeForRole("manager", null, ["a.rep"])).toEqual({ kind: "owners", owners: [] });
    expect(describeScope(scopeForRole("rep", null, []))).toMatch(/Nothing/);
  });

  it("names the scope by whose deals it holds; everything only for admins", () => {
    expect(scopeName({ role: "admin", ownerId: null })).toBe("All owners");
    expect(scopeName({ role: "manager", ownerId: "mgr.north" })).toBe("Team mgr.north");
    expect(scopeName({ role: "rep", ownerId: "ana.silva" })).toBe("Owner ana.silva");
    expect(scopeName({ role: "manager", ownerId: null })).toMatch(/^Nothing/);
  });
});
