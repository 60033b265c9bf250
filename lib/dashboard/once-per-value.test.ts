import { expect, it } from "vitest";
import { oncePerValue } from "./once-per-value";

it("makes a value once for the same arguments, again for any other one", () => {
  let made = 0;
  const sum = oncePerValue((a: { n: number }, b: { n: number }) => ({ total: a.n + b.n, made: ++made }));
  const one = { n: 1 };
  const two = { n: 2 };
  expect(sum(one, two)).toEqual({ total: 3, made: 1 });
  expect(sum(one, two)).toBe(sum(one, two));
  expect(sum(two, one)).toEqual({ total: 3, made: 2 });
  // Equal but not the same object: another version's value, made anew.
  expect(sum({ n: 1 }, two)).toEqual({ total: 3, made: 3 });
});
