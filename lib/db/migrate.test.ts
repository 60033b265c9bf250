import { readFileSync } from "node:fs";
import path from "node:path";
import { get_dmmf as getDmmf } from "@prisma/prisma-schema-wasm";
import { afterEach, describe, expect, it } from "vitest";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { type Migration, MigrationError, migrate, readMigrations } from "./migrate";
import { openDatabase } from "./open-database";

const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: name + sql.length });

describeEachDatabase("migrations", (kind) => {
  let db: TestDatabase;
  afterEach(() => db?.dispose());

  const tables = async () =>
    (
      await db.prisma.$queryRaw<{ table_name: string }[]>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
    ).map((row) => row.table_name);

  it("applies every migration on a fresh database, and a second run is a no-op", { timeout: 120_000 }, async () => {
    db = await kind.create({ migrated: false });
    const first = await migrate(db.driver);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    expect(await tables()).toEqual([
      "_prisma_migrations",
      "account",
      "api_tokens",
      "customer_versions",
      "customers",
      "export_audit",
      "forecast_settings",
      "forecast_settings_audit",
      "history_instants",
      "history_rollup",
      "history_rollup_days",
      "history_rollup_state",
      "import_runs",
      "opportunities",
      "opportunity_history",
      "opportunity_versions",
      "pipeline_rollup",
      "pipeline_rollup_state",
      "pipeline_version",
      "quotas",
      "rate_limit",
      "reference_version",
      "sales_teams",
      "session",
      "user",
      "verification",
    ]);
    expect((await migrate(db.driver)).applied).toEqual([]);
    const recorded = await db.prisma.$queryRaw<
      { migration_name: string; checksum: string; finished_at: Date | null }[]
    >`
      SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(recorded.map((row) => [row.migration_name, row.checksum])).toEqual(
      readMigrations().map((m) => [m.name, m.checksum]),
    );
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
  });

  it("refuses to go on when an applied migration was edited afterwards", async () => {
    db = await kind.create({ migrated: false });
    await migrate(db.driver, [migration("001_a", "CREATE TABLE a (id int)")]);
    const edited = { ...migration("001_a", "CREATE TABLE a (id bigint)"), checksum: "changed" };
    await expect(migrate(db.driver, [edited])).rejects.toThrow(MigrationError);
    await expect(migrate(db.driver, [edited])).rejects.toThrow(/001_a was changed after it was applied/);
  });

  it("rolls a failing migration back whole and records nothing for it", async () => {
    db = await kind.create({ migrated: false });
    const good = migration("001_good", "CREATE TABLE good (id int)");
    const bad = migration("002_bad", "CREATE TABLE half (id int); SELECT * FROM no_such_table;");
    await expect(migrate(db.driver, [good, bad])).rejects.toThrow(
      /002_bad failed and was rolled back: .*no_such_table/,
    );
    expect(await tables()).toEqual(["_prisma_migrations", "good"]);
    const names = await db.prisma.$queryRaw<
      { migration_name: string }[]
    >`SELECT migration_name FROM _prisma_migrations`;
    expect(names.map((row) => row.migration_name)).toEqual(["001_good"]);
  });

  it("keeps every recorded version when the current ones move into their rows (20261202040000) and the ended ones into monthly partitions (20261202060000)", async () => {
    db = await kind.create({ migrated: false });
    const all = readMigrations();
    const split = all.findIndex((m) => m.name === "20261202040000_current_version_in_place");
    await migrate(db.driver, all.slice(0, split));
    const write = (instant: string, ...statements: string[]) =>
      db.driver.withConnection((c) =>
        c.transaction(async (tx) => {
          await tx.query(`SELECT set_config('pipeline.effective_at', '${instant}', true)`);
          for (const statement of statements) await tx.query(statement);
        }),
      );
    await write(
      "2026-01-05 00:00Z",
      "INSERT INTO customers (customer_id, name, churn_risk) VALUES ('C1', 'Acme', 'low')",
      `INSERT INTO opportunities (opp_id, customer_id, stage, close_date, amount, sales_owner)
       VALUES ('O1', 'C1', 'prospecting', '2026-12-31', 100, 'rep.a'), ('O2', 'C1', 'proposal', '2026-11-30', 200, 'rep.b')`,
    );
    await write(
      "2026-01-12 00:00Z",
      "UPDATE opportunities SET stage = 'proposal', close_date = '2027-01-31' WHERE opp_id = 'O1'",
    );
    await write("2026-01-19 00:00Z", "DELETE FROM opportunities WHERE opp_id = 'O2'");
    const versions = () =>
      db.driver.withConnection((c) =>
        c.query(
          `SELECT opp_id, valid_from::text, valid_to::text, stage::text, close_date::text, amount::text, removed,
                  first_seen::text, stage_since::text, push_count
           FROM opportunity_versions ORDER BY opp_id, valid_from`,
        ),
      );
    const before = await versions();
    expect(before).toHaveLength(3);
    await migrate(db.driver, all);
    expect(await versions()).toEqual(before);
    // History goes on from the moved versions, into the month each version ended in.
    await write("2026-02-02 00:00Z", "UPDATE opportunities SET amount = 150 WHERE opp_id = 'O1'");
    expect((await versions()).map((v) => [v.opp_id, v.valid_from, v.valid_to, v.amount, v.push_count])).toEqual([
      ["O1", "2026-01-05 00:00:00+00", "2026-01-12 00:00:00+00", "100.00", 0],
      ["O1", "2026-01-12 00:00:00+00", "2026-02-02 00:00:00+00", "100.00", 1],
      ["O1", "2026-02-02 00:00:00+00", null, "150.00", 1],
      ["O2", "2026-01-05 00:00:00+00", "2026-01-19 00:00:00+00", "200.00", 0],
    ]);
    const partitions = await db.driver.withConnection((c) =>
      c.query<{ partition: string; versions: number }>(
        `SELECT tableoid::regclass::text AS partition, count(*)::int AS versions FROM opportunity_history GROUP BY 1 ORDER BY 1`,
      ),
    );
    expect(partitions).toEqual([
      { partition: "opportunity_history_2026_01", versions: 2 },
      { partition: "opportunity_history_2026_02", versions: 1 },
    ]);
  });

  it("applies each migration once when two runs race", async () => {
    db = await kind.create({ migrated: false });
    // A second connection to the same database where the engine allows one (PGlite is single-connection).
    const other = db.target.kind === "postgres" ? await openDatabase(db.target.url) : db;
    try {
      const results = await Promise.all([migrate(db.driver), migrate(other.driver)]);
      expect(results.flatMap((result) => result.applied)).toEqual(readMigrations().map((m) => m.name));
    } finally {
      if (other !== db) await other.close();
    }
  });

  it("yields exactly the tables, columns, types, nullability, enums and indexes of schema.prisma", async () => {
    db = await kind.create();
    expect(await describeDatabase(db)).toEqual(describeSchemaPrisma());
  });
});

describe("the migration layout", () => {
  it("keeps Prisma's folder layout and lock file, so `prisma migrate deploy` agrees", () => {
    const names = readMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    expect(readFileSync(path.join("prisma", "migrations", "migration_lock.toml"), "utf8")).toMatch(
      /provider = "postgresql"/,
    );
  });
});

interface SchemaDescription {
  enums: Record<string, string[]>;
  tables: Record<string, { columns: Record<string, string>; indexes: string[] }>;
}

/** What schema.prisma declares, in the words PostgreSQL's catalog uses. */
function describeSchemaPrisma(): SchemaDescription {
  const schema = readFileSync(path.join("prisma", "schema.prisma"), "utf8");
  const dmmf = JSON.parse(getDmmf(JSON.stringify({ prismaSchema: schema }))).datamodel;
  const enumDbName = new Map<string, string>(
    dmmf.enums.map((e: { name: string; dbName: string | null }) => [e.name, e.dbName ?? e.name]),
  );
  const described: SchemaDescription = { enums: {}, tables: {} };
  for (const e of dmmf.enums) described.enums[enumDbName.get(e.name)!] = e.values.map((v: { name: string }) => v.name);
  const tableOf = new Map<string, string>();
  const columnOf = new Map<string, string>();
  for (const model of dmmf.models) {
    const table = model.dbName ?? model.name;
    tableOf.set(model.name, table);
    const columns: Record<string, string> = {};
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      const column = field.dbName ?? field.name;
      columnOf.set(`${model.name}.${field.name}`, column);
      columns[column] = `${prismaColumnType(field, enumDbName)}${field.isRequired ? " not null" : ""}`;
    }
    described.tables[table] = { columns, indexes: [] };
  }
  // Its DMMF leaves out the fields declared Unsupported (the columns PostgreSQL generates): read from the text.
  for (const [, model, body] of schema.matchAll(/^model (\w+) \{\n([\s\S]*?)\n\}/gm))
    for (const [, type, optional, column] of body.matchAll(/Unsupported\("(\w+)"\)(\?)?\s+@map\("(\w+)"\)/g))
      described.tables[tableOf.get(model)!].columns[column] = `${type}${optional ? "" : " not null"}`;
  for (const index of dmmf.indexes) {
    const columns = index.fields.map((f: { name: string }) => columnOf.get(`${index.model}.${f.name}`)).join(",");
    const kind = index.type === "id" ? "primary" : index.type === "unique" ? "unique" : "index";
    described.tables[tableOf.get(index.model)!].indexes.push(`${kind}(${columns})`);
  }
  for (const table of Object.values(described.tables)) table.indexes.sort();
  return described;
}

function prismaColumnType(
  field: { kind: string; type: string; nativeType?: [string, string[]] | null },
  enums: Map<string, string>,
): string {
  if (field.kind === "enum") return enums.get(field.type)!;
  const [native, args] = field.nativeType ?? [undefined, []];
  if (native === "VarChar") return `varchar(${args[0]})`;
  if (native === "Char") return `char(${args[0]})`;
  if (native === "Decimal") return `numeric(${args.join(",")})`;
  if (native === "Date") return "date";
  if (native === "Timestamptz") return `timestamptz(${args[0] ?? 6})`;
  const defaults: Record<string, string> = {
    String: "text",
    Int: "int4",
    BigInt: "int8",
    Boolean: "bool",
    DateTime: "timestamp(3)",
    Decimal: "numeric(65,30)",
    Json: "jsonb",
  };
  return defaults[field.type] ?? `unmapped ${field.type}`;
}

/** What the migrated database holds, read from PostgreSQL's catalog (Prisma's bookkeeping table left out). */
async function describeDatabase(db: TestDatabase): Promise<SchemaDescription> {
  const described: SchemaDescription = { enums: {}, tables: {} };
  const enums = await db.prisma.$queryRaw<{ name: string; value: string }[]>`
    SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder`;
  for (const row of enums) (described.enums[row.name] ??= []).push(row.value);
  const columns = await db.prisma.$queryRaw<
    {
      table_name: string;
      column_name: string;
      udt_name: string;
      character_maximum_length: number | null;
      numeric_precision: number | null;
      numeric_scale: number | null;
      datetime_precision: number | null;
      is_nullable: string;
    }[]
  >`SELECT table_name, column_name, udt_name, character_maximum_length, numeric_precision, numeric_scale, datetime_precision, is_nullable
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
    ORDER BY table_name, ordinal_position`;
  for (const column of columns) {
    const table = (described.tables[column.table_name] ??= { columns: {}, indexes: [] });
    let type = column.udt_name;
    if (type === "varchar") type = `varchar(${column.character_maximum_length})`;
    if (type === "bpchar") type = `char(${column.character_maximum_length})`;
    if (type === "numeric") type = `numeric(${column.numeric_precision},${column.numeric_scale})`;
    if (type === "timestamp" || type === "timestamptz") type = `${type}(${column.datetime_precision})`;
    table.columns[column.column_name] = `${type}${column.is_nullable === "NO" ? " not null" : ""}`;
  }
  const indexes = await db.prisma.$queryRaw<
    { table_name: string; is_primary: boolean; is_unique: boolean; columns: string }[]
  >`
    SELECT t.relname AS table_name, ix.indisprimary AS is_primary, ix.indisunique AS is_unique,
           string_agg(a.attname, ',' ORDER BY k.ord) AS columns
    FROM pg_index ix
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
    CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE t.relname <> '_prisma_migrations' AND NOT ix.indisexclusion AND ix.indpred IS NULL -- schema.prisma cannot express partial indexes
    GROUP BY t.relname, ix.indexrelid, ix.indisprimary, ix.indisunique`;
  for (const index of indexes) {
    const kind = index.is_primary ? "primary" : index.is_unique ? "unique" : "index";
    described.tables[index.table_name].indexes.push(`${kind}(${index.columns})`);
  }
  for (const table of Object.values(described.tables)) table.indexes.sort();
  return described;
}
