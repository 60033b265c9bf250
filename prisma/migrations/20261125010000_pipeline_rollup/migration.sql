-- Summary rollup (BENCHMARKS.md, Scale): the dashboard's totals and charts read about 70k
-- pre-aggregated rows instead of every opportunity. One row per (owner, stage, close date
-- bucket, high churn); the bucket is the first day of the close month, except that deals due
-- on or after `as_of` in the month of `as_of` are bucketed on `as_of` itself, so "due on or
-- after as_of" (the at-risk and overdue rules) is exact for that day. Rebuilt by
-- lib/gtm-prisma/pipeline-rollup.ts (import, seed, and the server once a day).

-- CreateTable
CREATE TABLE "pipeline_rollup" (
    "sales_owner" VARCHAR(64) NOT NULL,
    "stage" "sales_stage" NOT NULL,
    "close_date" DATE NOT NULL,
    "high_churn" BOOLEAN NOT NULL,
    "opportunity_count" INTEGER NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "pipeline_rollup_pkey" PRIMARY KEY ("sales_owner","stage","close_date","high_churn")
);

-- CreateTable
CREATE TABLE "pipeline_rollup_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "as_of" DATE,
    "fresh" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "pipeline_rollup_state_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "pipeline_rollup_state_single_row" CHECK ("id" = 1)
);

INSERT INTO "pipeline_rollup_state" ("id", "as_of", "fresh") VALUES (1, NULL, false);

-- Any write to the rows the rollup is built from marks it stale, in the writer's own
-- transaction; readers then use the live query until it is rebuilt. Per statement, so a
-- bulk import pays once, and only when it is still marked fresh.
CREATE FUNCTION "pipeline_rollup_mark_stale"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "pipeline_rollup_state" SET "fresh" = false WHERE "fresh";
  RETURN NULL;
END
$$;

CREATE TRIGGER "opportunities_mark_rollup_stale" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "opportunities"
    FOR EACH STATEMENT EXECUTE FUNCTION "pipeline_rollup_mark_stale"();

CREATE TRIGGER "customers_mark_rollup_stale" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "customers"
    FOR EACH STATEMENT EXECUTE FUNCTION "pipeline_rollup_mark_stale"();
