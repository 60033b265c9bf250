-- The rollup's freshness by versions instead of a flag. The flag was cleared by writers and
-- set by a rebuild, so a write that committed while a rebuild ran was missing from a rollup
-- marked fresh. Now every statement that writes opportunities or customers bumps
-- pipeline_version in the writer's transaction, a rebuild records the version it read in the
-- same snapshot as the rows it aggregated (pipeline_rollup_state.pipeline_version), and the
-- rollup stands for the pipeline only while the two are equal (lib/gtm-prisma/pipeline-rollup.ts).
--
-- The version has a table of its own: a rebuild writes the state row, and sharing the
-- writers' row would make every rebuild wait for the longest open write.

-- CreateTable
CREATE TABLE "pipeline_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "pipeline_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "pipeline_version_single_row" CHECK ("id" = 1)
);

INSERT INTO "pipeline_version" ("id", "version") VALUES (1, 0);

-- AlterTable: the rollup built before this migration has no version, so it is not current
-- until its next rebuild (the server's upkeep starts one; summaries read live meanwhile).
ALTER TABLE "pipeline_rollup_state" DROP COLUMN "fresh",
ADD COLUMN     "pipeline_version" BIGINT;

DROP TRIGGER "opportunities_mark_rollup_stale" ON "opportunities";
DROP TRIGGER "customers_mark_rollup_stale" ON "customers";
DROP FUNCTION "pipeline_rollup_mark_stale"();

-- Before the statement, so a writer takes the version's row lock before any row of the
-- table: concurrent writers take turns on it until they commit, in one order, and never
-- hold a row another one waits for while they wait for the version.
CREATE FUNCTION "pipeline_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "pipeline_version" SET "version" = "version" + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "opportunities_bump_pipeline_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "opportunities"
    FOR EACH STATEMENT EXECUTE FUNCTION "pipeline_bump_version"();

CREATE TRIGGER "customers_bump_pipeline_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "customers"
    FOR EACH STATEMENT EXECUTE FUNCTION "pipeline_bump_version"();
