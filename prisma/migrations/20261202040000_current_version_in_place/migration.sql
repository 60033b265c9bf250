-- An opportunity's current version is its row in `opportunities` (which now carries the
-- version's start, `valid_from`, and its import run); the versions that ended live in
-- `opportunity_history`, appended in the order they end and never updated; the view
-- `opportunity_versions` is the two together, shaped as the table it replaces, so every reader
-- of history reads it as before.
--
-- Why: a change used to close the current version in place (an UPDATE of a row with six indexes,
-- none of them HOT-able since valid_to is in their predicates), insert the next one, and check both
-- for overlaps: 10.3 s of a 17.9 s UPDATE of 100,000 changed deals at 1M (BENCHMARKS.md, session
-- 9). Now it is one append of the ended state, read from the statement's own OLD rows. The
-- versions a window ended are also one contiguous stretch of the table (what changed).
--
-- Overlaps stay impossible: the triggers below are the only writers of opportunity_history
-- (a statement-level guard refuses any other), and they write [OLD.valid_from, the change's
-- instant), refusing an instant before OLD.valid_from; a row added back is refused when a
-- version of its id ends after the instant it starts at.

DROP TRIGGER "opportunities_deal_age" ON "opportunities";
DROP TRIGGER "opportunities_history_insert" ON "opportunities";
DROP TRIGGER "opportunities_history_update" ON "opportunities";
DROP TRIGGER "opportunities_history_delete" ON "opportunities";
DROP FUNCTION "derive_deal_age"();
DROP FUNCTION "record_opportunity_inserts"();
DROP FUNCTION "record_opportunity_updates"();
DROP FUNCTION "record_opportunity_deletes"();

-- The current version's start and run, on the row (no foreign key on run_id: a run is never
-- deleted, and a per-row check would cost every changed row a lookup; readers LEFT JOIN runs).
-- Not a change of the pipeline: no version bump, no change instant.
ALTER TABLE "opportunities" ADD COLUMN "valid_from" TIMESTAMPTZ(6), ADD COLUMN "run_id" INTEGER;
ALTER TABLE "opportunities" DISABLE TRIGGER "opportunities_bump_pipeline_version";
UPDATE "opportunities" o SET "valid_from" = v."valid_from", "run_id" = v."run_id"
FROM "opportunity_versions" v WHERE v."opp_id" = o."opp_id" AND v."valid_to" IS NULL;
UPDATE "opportunities" SET "valid_from" = now() WHERE "valid_from" IS NULL;
ALTER TABLE "opportunities" ENABLE TRIGGER "opportunities_bump_pipeline_version";
ALTER TABLE "opportunities"
  ALTER COLUMN "valid_from" SET DEFAULT history_effective_at(),
  ALTER COLUMN "valid_from" SET NOT NULL,
  ALTER COLUMN "run_id" SET DEFAULT history_run_id();
CREATE INDEX "opportunities_valid_from_idx" ON "opportunities" ("valid_from");

CREATE TABLE "opportunity_history" (
    "opp_id" VARCHAR(64) NOT NULL,
    "valid_from" TIMESTAMPTZ(6) NOT NULL,
    "valid_to" TIMESTAMPTZ(6) NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL,
    "stage" "sales_stage" NOT NULL,
    "close_date" DATE NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "sales_owner" VARCHAR(64) NOT NULL,
    "name" VARCHAR(500),
    "created_date" DATE NOT NULL,
    "forecast_category" "forecast_category",
    "probability" INTEGER,
    "run_id" INTEGER,
    "removed" BOOLEAN NOT NULL DEFAULT false,
    "first_seen" TIMESTAMPTZ(6),
    "stage_since" TIMESTAMPTZ(6),
    "push_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "opportunity_history_pkey" PRIMARY KEY ("opp_id", "valid_from"),
    CONSTRAINT "opportunity_history_order" CHECK ("valid_from" < "valid_to")
);
INSERT INTO "opportunity_history"
SELECT "opp_id", "valid_from", "valid_to", "customer_id", "stage", "close_date", "amount", "sales_owner", "name", "created_date",
       "forecast_category", "probability", "run_id", "removed", "first_seen", "stage_since", "push_count"
FROM "opportunity_versions" WHERE "valid_to" IS NOT NULL ORDER BY "valid_to";
DROP TABLE "opportunity_versions";
DROP FUNCTION "refuse_overlapping_opportunity_versions"();
-- valid_to: the versions a window ended (what changed, the import's out-of-order check); a plain
-- index, so a reader's `valid_to IS NULL` (the current versions) finds none here at once.
CREATE INDEX "opportunity_history_valid_to_idx" ON "opportunity_history" ("valid_to");
-- A past day's first page in the table's two sort orders (the current rows have their own).
CREATE INDEX "opportunity_history_amount_opp_id_idx" ON "opportunity_history" ("amount", "opp_id");
CREATE INDEX "opportunity_history_close_date_opp_id_idx" ON "opportunity_history" ("close_date", "opp_id");

CREATE VIEW "opportunity_versions" AS
  SELECT "opp_id", "valid_from", "valid_to", "customer_id", "stage", "close_date", "amount", "sales_owner", "name", "created_date",
         "forecast_category", "probability", "run_id", "removed", "first_seen", "stage_since", "push_count"
  FROM "opportunity_history"
  UNION ALL
  SELECT "opp_id", "valid_from", NULL::TIMESTAMPTZ(6), "customer_id", "stage", "close_date", "amount", "sales_owner", "name", "created_date",
         "forecast_category", "probability", "run_id", FALSE, "first_seen", "stage_since", "push_count"
  FROM "opportunities";

-- A changed row starts a new version at the change's instant, and its deal age (lib/gtm/deal-age.ts)
-- follows from the version in force before that instant: OLD, unless OLD itself began at this
-- instant (a corrected file for the same day), then the version that ended at it.
CREATE FUNCTION "start_opportunity_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
  prev RECORD;
BEGIN
  IF OLD.valid_from > eff THEN
    RAISE EXCEPTION 'overlapping versions of an opportunity: a change dated before a recorded one' USING ERRCODE = 'exclusion_violation';
  END IF;
  NEW.valid_from := eff;
  NEW.run_id := history_run_id();
  IF OLD.valid_from < eff THEN
    NEW.first_seen := OLD.first_seen;
    NEW.stage_since := CASE WHEN NEW.stage = OLD.stage THEN OLD.stage_since ELSE eff END;
    NEW.push_count := OLD.push_count + (NEW.close_date > OLD.close_date)::int;
    RETURN NEW;
  END IF;
  SELECT h.stage, h.close_date, h.first_seen, h.stage_since, h.push_count, h.removed INTO prev
  FROM opportunity_history h WHERE h.opp_id = NEW.opp_id AND h.valid_to = eff;
  -- None (first recorded at this instant), or the end of an earlier life: a fresh start.
  IF NOT FOUND OR prev.removed THEN
    NEW.stage_since := eff;
    NEW.push_count := 0;
  ELSE
    NEW.first_seen := prev.first_seen;
    NEW.stage_since := CASE WHEN NEW.stage = prev.stage THEN prev.stage_since ELSE eff END;
    NEW.push_count := prev.push_count + (NEW.close_date > prev.close_date)::int;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "opportunities_version_start" BEFORE UPDATE ON "opportunities" FOR EACH ROW
  WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.stage IS DISTINCT FROM NEW.stage OR OLD.close_date IS DISTINCT FROM NEW.close_date
    OR OLD.amount IS DISTINCT FROM NEW.amount OR OLD.sales_owner IS DISTINCT FROM NEW.sales_owner OR OLD.name IS DISTINCT FROM NEW.name
    OR OLD.created_date IS DISTINCT FROM NEW.created_date OR OLD.forecast_category IS DISTINCT FROM NEW.forecast_category
    OR OLD.probability IS DISTINCT FROM NEW.probability)
  EXECUTE FUNCTION "start_opportunity_version"();

-- The version each changed row ended: its OLD state, from its start to the change's instant
-- (none when it began at this same instant: a state that never held for a moment).
CREATE FUNCTION "record_opportunity_updates"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO opportunity_history (opp_id, valid_from, valid_to, customer_id, stage, close_date, amount, sales_owner, name, created_date,
    forecast_category, probability, run_id, removed, first_seen, stage_since, push_count)
  SELECT o.opp_id, o.valid_from, n.valid_from, o.customer_id, o.stage, o.close_date, o.amount, o.sales_owner, o.name, o.created_date,
    o.forecast_category, o.probability, o.run_id, FALSE, o.first_seen, o.stage_since, o.push_count
  FROM old_rows o JOIN new_rows n ON n.opp_id = o.opp_id
  WHERE n.valid_from > o.valid_from;
  RETURN NULL;
END $$;

-- A deleted row (a snapshot import's removal) ends its version, marked removed. Recorded at this
-- instant and removed at it, it never held: the version it replaced (if any) is the one this
-- removal ended.
CREATE FUNCTION "record_opportunity_deletes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
BEGIN
  IF EXISTS (SELECT 1 FROM old_rows o WHERE o.valid_from > eff) THEN
    RAISE EXCEPTION 'overlapping versions of an opportunity: a change dated before a recorded one' USING ERRCODE = 'exclusion_violation';
  END IF;
  INSERT INTO opportunity_history (opp_id, valid_from, valid_to, customer_id, stage, close_date, amount, sales_owner, name, created_date,
    forecast_category, probability, run_id, removed, first_seen, stage_since, push_count)
  SELECT o.opp_id, o.valid_from, eff, o.customer_id, o.stage, o.close_date, o.amount, o.sales_owner, o.name, o.created_date,
    o.forecast_category, o.probability, o.run_id, TRUE, o.first_seen, o.stage_since, o.push_count
  FROM old_rows o WHERE o.valid_from < eff;
  UPDATE opportunity_history h SET removed = TRUE
  FROM old_rows o WHERE o.valid_from = eff AND h.opp_id = o.opp_id AND h.valid_to = eff;
  RETURN NULL;
END $$;

-- A row added (back) starts at its instant, which no ended version of its id may pass.
CREATE FUNCTION "refuse_opportunity_inserts_into_the_past"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows n JOIN opportunity_history h ON h.opp_id = n.opp_id WHERE h.valid_to > n.valid_from) THEN
    RAISE EXCEPTION 'overlapping versions of an opportunity: a change dated before a recorded one' USING ERRCODE = 'exclusion_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "opportunities_history_update" AFTER UPDATE ON "opportunities"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "record_opportunity_updates"();
CREATE TRIGGER "opportunities_history_delete" AFTER DELETE ON "opportunities"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "record_opportunity_deletes"();
CREATE TRIGGER "opportunities_history_insert" AFTER INSERT ON "opportunities"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "refuse_opportunity_inserts_into_the_past"();

-- Only the triggers above write the history (they run one trigger level down).
CREATE FUNCTION "refuse_direct_history_writes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'opportunity_history is written by the triggers on opportunities only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "opportunity_history_written_by_triggers" BEFORE INSERT OR UPDATE OR DELETE ON "opportunity_history"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_direct_history_writes"();
