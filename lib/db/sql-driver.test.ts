import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { Prisma } from "./generated/client";
import { inlineSql } from "./inline-sql";
import { copyTextField, splitCopyText, unescapeCopyField } from "./sql-driver";

const AWKWARD = [
  "plain",
  "back\\slash",
  "tab\there",
  "new\nline",
  "carriage\rreturn",
  "crlf\r\n",
  "\\.",
  "\\N",
  "\\t is not a tab",
  'quote " and, comma',
  "Zoë 東京 🎉",
  "",
  " leading and trailing ",
];

describe("copyTextField", () => {
  it("escapes exactly backslash, tab, newline and carriage return, and splitCopyText reads the values back", () => {
    expect(copyTextField("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    expect(copyTextField('Zoë, "quoted"')).toBe('Zoë, "quoted"');
    const data = AWKWARD.map((value, i) => `${i}\t${copyTextField(value)}\n`).join("");
    expect(splitCopyText(data, 2)).toEqual([AWKWARD.map((_, i) => String(i)), AWKWARD]);
    expect(splitCopyText("1\t\\N\n", 2)).toEqual([["1"], [null]]);
  });

  it("refuses a NUL character instead of sending it", () => {
    expect(() => copyTextField("a\u0000b")).toThrow(/NUL/);
  });
});

describeEachDatabase("SqlConnection.copyFrom", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await kind.create({ migrated: false });
  });
  afterAll(() => db?.dispose());

  it("stores every value exactly as given, into text and typed columns", async () => {
    const rows = await db.driver.withConnection((c) =>
      c.transaction(async (tx) => {
        await tx.query(
          "CREATE TEMP TABLE copied (line int NOT NULL, ok boolean NOT NULL, value text NOT NULL, amount numeric(18,2), day date) ON COMMIT DROP",
        );
        const data = AWKWARD.map(
          (value, i) =>
            `${i + 1}\t${i % 2 ? "t" : "f"}\t${copyTextField(value)}\t${i}.5\t2026-01-${String(i + 1).padStart(2, "0")}\n`,
        ).join("");
        await tx.copyFrom("copied", ["line", "ok", "value", "amount", "day"], data);
        await tx.copyFrom("copied", ["line", "ok", "value"], "");
        return tx.query<{ line: number; ok: boolean; value: string; amount: string; day: string }>(
          "SELECT line, ok, value, amount::text AS amount, day::text AS day FROM copied ORDER BY line",
        );
      }),
    );
    expect(rows.map((row) => row.value)).toEqual(AWKWARD);
    expect(rows[0]).toEqual({ line: 1, ok: false, value: "plain", amount: "0.50", day: "2026-01-01" });
    expect(rows[1]).toMatchObject({ line: 2, ok: true, amount: "1.50", day: "2026-01-02" });
  });

  it("a row the database refuses fails the statement, the transaction rolls back whole, and the connection stays usable", async () => {
    await db.driver.withConnection((c) => c.query("CREATE TABLE kept (id int PRIMARY KEY, value text NOT NULL)"));
    const failed = db.driver.withConnection((c) =>
      c.transaction(async (tx) => {
        await tx.copyFrom("kept", ["id", "value"], "1\tfirst\n2\tsecond\n");
        await tx.copyFrom("kept", ["id", "value"], "3\tthird\n1\tagain\n");
      }),
    );
    await expect(failed).rejects.toThrow(/duplicate key/);
    const after = await db.driver.withConnection(async (c) => {
      const [{ count }] = await c.query<{ count: number }>("SELECT count(*)::int AS count FROM kept");
      await c.copyFrom("kept", ["id", "value"], "7\tseven\n");
      return { count, again: await c.query<{ id: number; value: string }>("SELECT id, value FROM kept") };
    });
    expect(after).toEqual({ count: 0, again: [{ id: 7, value: "seven" }] });
  });
});

describeEachDatabase("SqlConnection.copyTo", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await kind.create({ migrated: false });
  });
  afterAll(() => db?.dispose());

  const copied = (select: string) =>
    db.driver.withConnection(async (c) => {
      let text = "";
      for await (const chunk of c.copyTo!(select)) text += chunk.toString("utf8");
      return text;
    });

  it("is PostgreSQL's alone", () => {
    return db.driver.withConnection(async (c) => expect(c.copyTo !== undefined).toBe(db.target.kind === "postgres"));
  });

  it("gives back every value exactly, written into the statement as a literal", async () => {
    if (db.target.kind !== "postgres") return;
    const values = [...AWKWARD, "it's", "E'\\'", "$1", "-- not a comment", "/* nor this */"];
    const select = inlineSql(
      Prisma.sql`SELECT * FROM (VALUES ${Prisma.join(values.map((value, i) => Prisma.sql`(${i}, ${value}, ${-i}, NULL::text)`))}) v ORDER BY 1`,
    );
    const rows = (await copied(select))
      .split("\n")
      .slice(0, -1)
      .map((line) => line.split("\t").map(unescapeCopyField));
    expect(rows).toEqual(values.map((value, i) => [String(i), value, String(-i), null]));
  });

  it("throws a failed COPY and leaves the connection usable; abandoned, it stops and drops its connection", async () => {
    if (db.target.kind !== "postgres") return;
    await expect(copied("SELECT 1 / (3 - g) FROM generate_series(1, 100000) g")).rejects.toThrow(/division by zero/);
    const backends = () =>
      db.driver.withConnection((c) =>
        c.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%' AND pid <> pg_backend_pid()",
        ),
      );
    await db.driver.withConnection(async (c) => {
      // Far more than the socket buffers hold: the server is still sending when the reader leaves.
      for await (const chunk of c.copyTo!("SELECT g, repeat('x', 200) FROM generate_series(1, 1000000) g"))
        if (chunk.length > 0) break;
    });
    for (let i = 0; i < 50 && (await backends())[0].n > 0; i++) await new Promise((done) => setTimeout(done, 20));
    expect((await backends())[0].n).toBe(0);
    expect(await copied("SELECT 'still here'")).toBe("still here\n");
  });
});
