import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";

/**
 * A PGlite instance with the extensions the migrations use (btree_gist, which the history
 * migration creates for exclusion constraints a later migration replaced). PGlite loads extensions only when created, so every instance is
 * made here; `dataDir` unset means in memory.
 */
export function createPGlite(
  dataDir?: string,
  options: Omit<PGliteOptions, "extensions" | "dataDir"> = {},
): Promise<PGlite> {
  return PGlite.create({ ...options, ...(dataDir && { dataDir }), extensions: { btree_gist } });
}
