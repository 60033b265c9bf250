-- The read cache (lib/gtm-prisma/pipeline-read-cache.ts) keeps reads per data version. The
-- pipeline's version covers opportunities and customers (and so their history); the forecast
-- also reads quotas, the forecast settings and the teams' names, which change without touching
-- the pipeline. They get a version of their own, bumped the same way, so a quota import or a
-- settings change never leaves a cached forecast standing, and the pipeline rollup (which
-- compares pipeline_version) is not rebuilt for them.

CREATE TABLE "reference_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "reference_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reference_version_single_row" CHECK ("id" = 1)
);

INSERT INTO "reference_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "reference_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "reference_version" SET "version" = "version" + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "quotas_bump_reference_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "quotas"
    FOR EACH STATEMENT EXECUTE FUNCTION "reference_bump_version"();

CREATE TRIGGER "forecast_settings_bump_reference_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "forecast_settings"
    FOR EACH STATEMENT EXECUTE FUNCTION "reference_bump_version"();

CREATE TRIGGER "sales_teams_bump_reference_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sales_teams"
    FOR EACH STATEMENT EXECUTE FUNCTION "reference_bump_version"();
