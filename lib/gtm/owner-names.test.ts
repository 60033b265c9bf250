import { describe, expect, it } from "vitest";
import { namesOf, ownerName, ownerNameAndId } from "./owner-names";

describe("owner names on the screen", () => {
  const names = { "ana.silva": "Ana Silva" };

  it("shows the display name where the teams file gives one, else the id", () => {
    expect(ownerName("ana.silva", names)).toBe("Ana Silva");
    expect(ownerName("ben.shah", names)).toBe("ben.shah");
    expect(ownerNameAndId("ana.silva", names)).toBe("Ana Silva (ana.silva)");
    expect(ownerNameAndId("ben.shah", names)).toBe("ben.shah");
  });

  it("never takes an id that names an object property for a name", () => {
    expect(ownerName("constructor", names)).toBe("constructor");
    expect(ownerName("__proto__", names)).toBe("__proto__");
    expect(namesOf(["toString", "ana.silva"], names)).toEqual({ "ana.silva": "Ana Silva" });
  });
});
