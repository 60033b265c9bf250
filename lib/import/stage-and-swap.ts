import type { SqlConnection } from "../db/sql-driver";

/**
 * Bulk load by stage and swap: the load goes into a copy of the table that nobody reads, and
 * the copy replaces the table just before commit. Readers keep reading the committed table the
 * whole time (they neither wait for a lock nor walk past a million uncommitted rows), and the
 * load maintains no index row by row: the copy gets the table's indexes, constraints and
 * triggers, built from their own definitions, after the rows are in. Only the swap itself
 * takes ACCESS EXCLUSIVE, for a catalog change, until commit.
 *
 * The copy has the table's triggers while `work` runs, so the history and the pipeline version
 * are written as for any other write. It holds the table's rows first (copied without
 * triggers: they are not changes). Other writers wait from the start (EXCLUSIVE lock), so no
 * change to the table is lost in the swap.
 *
 * Only for a table that no other table references by foreign key (a swapped table would leave
 * them pointing at the dropped one): `canSwap` says. The views that read the table are made
 * again over the copy, in the swap.
 */
export async function canSwap(tx: SqlConnection, table: string): Promise<boolean> {
  // Nor one with an exclusion constraint (not rebuilt here).
  const [row] = await tx.query<{ referenced: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE (confrelid = $1::regclass AND contype = 'f') OR (conrelid = $1::regclass AND contype = 'x')) AS referenced`,
    [table],
  );
  return !row.referenced;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs `work(stagedTable)` against a copy of `table` holding its rows, then puts the copy in its place. */
export async function stageAndSwap<T>(
  tx: SqlConnection,
  table: string,
  work: (staged: string) => Promise<T>,
  phase?: (name: string) => void,
): Promise<T> {
  const staged = `${table}_swap`;
  await tx.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
  // The definitions, read before the copy exists (they name the table; the copy's are renamed below).
  const indexes = await tx.query<{
    name: string;
    definition: string;
    constraint: string | null;
    contype: string | null;
  }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition, c.conname AS constraint, c.contype::text AS contype
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = x.indrelid
     WHERE x.indrelid = $1::regclass ORDER BY x.indisprimary DESC, i.relname`,
    [table],
  );
  const foreignKeys = await tx.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`,
    [table],
  );
  const triggers = await tx.query<{ name: string; definition: string }>(
    `SELECT tgname AS name, pg_get_triggerdef(oid) AS definition FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname`,
    [table],
  );
  const grants = await grantsOn(tx, table);
  // Views over it (opportunity_versions): dropped with it, made again over the copy.
  const views = await tx.query<{ name: string; definition: string }>(
    `SELECT DISTINCT r.ev_class::regclass::text AS name, pg_get_viewdef(r.ev_class) AS definition
     FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
     WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = $1::regclass AND r.ev_class <> $1::regclass`,
    [table],
  );
  const viewGrants: Grant[][] = [];
  for (const view of views) viewGrants.push(await grantsOn(tx, view.name));
  const [{ qualified }] = await tx.query<{ qualified: string }>(`SELECT $1::regclass::text AS qualified`, [table]);
  const onStaged = (definition: string) =>
    definition.replace(
      new RegExp(` ON (ONLY )?(public\\.)?${qualified.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `),
      ` ON $1${staged} `,
    );

  // Defaults, NOT NULL and CHECK constraints (with their names) come with LIKE; indexes, keys and triggers later.
  await tx.query(`DROP TABLE IF EXISTS ${staged}`);
  await tx.query(
    `CREATE TABLE ${staged} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)`,
  );
  await tx.query(`INSERT INTO ${staged} SELECT * FROM ${table}`);
  // The primary key first: the load's UPDATE-then-INSERT finds existing rows by it.
  const [primary, ...secondary] = indexes;
  if (primary?.contype === "p")
    await tx.query(
      `ALTER TABLE ${staged} ADD CONSTRAINT ${ident(`${primary.constraint}_swap`)} PRIMARY KEY USING INDEX ${ident(await createIndex(tx, primary, onStaged))}`,
    );
  for (const trigger of triggers) await tx.query(onStaged(trigger.definition));
  phase?.(`stage ${table} copy`);

  const result = await work(staged);
  phase?.(`insert ${table}`);

  await tx.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  const built: { index: (typeof indexes)[number]; name: string }[] = [];
  for (const index of primary?.contype === "p" ? secondary : indexes)
    built.push({ index, name: await createIndex(tx, index, onStaged) });
  for (const { index, name } of built) {
    if (index.contype === "u")
      await tx.query(
        `ALTER TABLE ${staged} ADD CONSTRAINT ${ident(`${index.constraint}_swap`)} UNIQUE USING INDEX ${ident(name)}`,
      );
  }
  phase?.(`build ${table} indexes`);
  for (const fk of foreignKeys)
    await tx.query(`ALTER TABLE ${staged} ADD CONSTRAINT ${ident(`${fk.name}_swap`)} ${fk.definition}`);
  phase?.(`check ${table} foreign keys`);
  await tx.query(`ANALYZE ${staged}`);

  // The swap: readers wait from here to commit, a catalog change long.
  for (const view of views) await tx.query(`DROP VIEW ${view.name}`);
  await tx.query(`DROP TABLE ${table}`);
  await tx.query(`ALTER TABLE ${staged} RENAME TO ${table}`);
  for (const [i, view] of views.entries()) {
    await tx.query(`CREATE VIEW ${view.name} AS ${view.definition}`);
    await grant(tx, view.name, viewGrants[i]);
  }
  for (const { index, name } of [
    ...(primary?.contype === "p" ? [{ index: primary, name: `${primary.name}_swap` }] : []),
    ...built,
  ]) {
    if (index.constraint)
      await tx.query(
        `ALTER TABLE ${table} RENAME CONSTRAINT ${ident(`${index.constraint}_swap`)} TO ${ident(index.constraint)}`,
      );
    if (index.constraint !== index.name || !index.constraint)
      await tx.query(`ALTER INDEX ${ident(index.constraint ? index.constraint : name)} RENAME TO ${ident(index.name)}`);
  }
  for (const fk of foreignKeys)
    await tx.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${ident(`${fk.name}_swap`)} TO ${ident(fk.name)}`);
  await grant(tx, table, grants);
  phase?.(`swap ${table}`);
  return result;
}

type Grant = { grantee: string; privilege: string; grantable: boolean };

/** Privileges granted on a relation (say, SELECT to the app's read-only role): they go with it. */
function grantsOn(tx: SqlConnection, relation: string): Promise<Grant[]> {
  return tx.query<Grant>(
    `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee, a.privilege_type AS privilege, a.is_grantable AS grantable
     FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a WHERE c.oid = $1::regclass AND a.grantee <> c.relowner`,
    [relation],
  );
}

async function grant(tx: SqlConnection, relation: string, grants: readonly Grant[]): Promise<void> {
  for (const g of grants)
    await tx.query(`GRANT ${g.privilege} ON ${relation} TO ${g.grantee}${g.grantable ? " WITH GRANT OPTION" : ""}`);
}

/** Builds `index`'s definition on the staged table under a temporary name; returns that name. */
async function createIndex(
  tx: SqlConnection,
  index: { name: string; definition: string },
  onStaged: (definition: string) => string,
): Promise<string> {
  const name = `${index.name}_swap`;
  const definition = onStaged(index.definition).replace(
    /^CREATE (UNIQUE )?INDEX \S+ /,
    (_, unique: string | undefined) => `CREATE ${unique ?? ""}INDEX ${ident(name)} `,
  );
  await tx.query(definition);
  return name;
}
