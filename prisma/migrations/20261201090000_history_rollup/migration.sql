-- The history rollup (lib/gtm-prisma/history-rollup.ts): the pipeline as it stood after each
-- change instant, pre-aggregated per (sales owner, stage, close month, high churn), so a past
-- day's summary reads ~70k groups instead of every version in force (about 1M rows at scale).
--
-- History changes only at the instants writers give (pipeline.effective_at, or the
-- transaction's time), so the pipeline is the same at every instant between two of them.
-- `history_instants` lists them, each with the pipeline version of the latest statement that
-- wrote at it; the state at an instant I is the one after the latest instant before I.
-- A rollup for instant E records the pipeline version it read (same snapshot as its rows) and
-- stands for history only while no statement with a later version wrote at E or before it: a
-- later write after E is a new instant with a rollup of its own (or none yet), a write dated
-- at or before E changed what the rollup counts. So it is exact without locks, like
-- pipeline_rollup.

CREATE TABLE "history_instants" (
    "at" TIMESTAMPTZ(6) NOT NULL,
    "version" BIGINT NOT NULL,

    CONSTRAINT "history_instants_pkey" PRIMARY KEY ("at")
);

-- days_from, days_to: the months [days_from, days_to) also kept by close day (history_rollup_days).
CREATE TABLE "history_rollup_state" (
    "at" TIMESTAMPTZ(6) NOT NULL,
    "pipeline_version" BIGINT NOT NULL,
    "days_from" DATE,
    "days_to" DATE,

    CONSTRAINT "history_rollup_state_pkey" PRIMARY KEY ("at")
);

-- close_date is the first day of the close month.
CREATE TABLE "history_rollup" (
    "at" TIMESTAMPTZ(6) NOT NULL,
    "sales_owner" VARCHAR(64) NOT NULL,
    "stage" "sales_stage" NOT NULL,
    "close_date" DATE NOT NULL,
    "high_churn" BOOLEAN NOT NULL,
    "opportunity_count" INTEGER NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "history_rollup_pkey" PRIMARY KEY ("at","sales_owner","stage","close_date","high_churn")
);

-- The same by close day, for the months a day that reads the rollup may fall in: a day's summary
-- splits its own month at it (overdue before it, at risk from it on), which month buckets cannot.
CREATE TABLE "history_rollup_days" (
    "at" TIMESTAMPTZ(6) NOT NULL,
    "close_date" DATE NOT NULL,
    "sales_owner" VARCHAR(64) NOT NULL,
    "stage" "sales_stage" NOT NULL,
    "high_churn" BOOLEAN NOT NULL,
    "opportunity_count" INTEGER NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "history_rollup_days_pkey" PRIMARY KEY ("at","close_date","sales_owner","stage","high_churn")
);

-- Every statement that writes the pipeline also records its instant, with the version it bumped to.
CREATE OR REPLACE FUNCTION "pipeline_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bumped BIGINT;
BEGIN
  UPDATE "pipeline_version" SET "version" = "version" + 1 RETURNING "version" INTO bumped;
  INSERT INTO "history_instants" ("at", "version") VALUES (history_effective_at(), bumped)
  ON CONFLICT ("at") DO UPDATE SET "version" = GREATEST("history_instants"."version", EXCLUDED."version");
  RETURN NULL;
END
$$;

-- The instants history already has.
INSERT INTO "history_instants" ("at", "version")
SELECT t.at, (SELECT "version" FROM "pipeline_version")
FROM (
  SELECT "valid_from" AS at FROM "opportunity_versions"
  UNION SELECT "valid_to" FROM "opportunity_versions" WHERE "valid_to" IS NOT NULL
  UNION SELECT "valid_from" FROM "customer_versions"
  UNION SELECT "valid_to" FROM "customer_versions" WHERE "valid_to" IS NOT NULL
) t;
