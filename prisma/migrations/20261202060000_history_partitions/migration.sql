-- opportunity_history becomes one partition per calendar month (UTC) of `valid_to`, the instant a
-- version ended. An import ends its versions at one instant, so it appends to one partition, and
-- the indexes it writes in random order (the primary key, the two sort orders) are that month's,
-- not every year's, however many years of history there are (it never expires). Measured at a year
-- of weekly imports of 100,000 changed deals: the whole-CRM import 38,678 -> 47,241 rows/s with this
-- alone; the rest of its slowdown was autovacuum never finishing, which `npm run import` now does
-- itself (BENCHMARKS.md, session 10). Readers by `valid_to` (what changed, the out-of-order check)
-- read only the months they ask for.
--
-- A month's partition is made by the first statement that ends a version in it
-- (ensure_opportunity_history_partition, called by the triggers that write history): CREATE then
-- ATTACH, which takes only a SHARE UPDATE EXCLUSIVE lock on opportunity_history, so readers of the
-- past are never blocked by an import that opens a new month. No default partition: a version
-- can only end in a month that has one.
--
-- The primary key of a partitioned table must hold its partition key: (opp_id, valid_from,
-- valid_to) is as unique as (opp_id, valid_from) was, versions of one deal never overlapping.

ALTER TABLE "opportunity_history" RENAME TO "opportunity_history_unpartitioned";
ALTER INDEX "opportunity_history_pkey" RENAME TO "opportunity_history_unpartitioned_pkey";
ALTER INDEX "opportunity_history_valid_to_idx" RENAME TO "opportunity_history_unpartitioned_valid_to_idx";
ALTER INDEX "opportunity_history_amount_opp_id_idx" RENAME TO "opportunity_history_unpartitioned_amount_opp_id_idx";
ALTER INDEX "opportunity_history_close_date_opp_id_idx" RENAME TO "opportunity_history_unpartitioned_close_date_opp_id_idx";

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

    CONSTRAINT "opportunity_history_pkey" PRIMARY KEY ("opp_id", "valid_from", "valid_to"),
    CONSTRAINT "opportunity_history_order" CHECK ("valid_from" < "valid_to")
) PARTITION BY RANGE ("valid_to");
CREATE INDEX "opportunity_history_valid_to_idx" ON "opportunity_history" ("valid_to");
CREATE INDEX "opportunity_history_amount_opp_id_idx" ON "opportunity_history" ("amount", "opp_id");
CREATE INDEX "opportunity_history_close_date_opp_id_idx" ON "opportunity_history" ("close_date", "opp_id");

-- Only the triggers on opportunities write the history (they run one trigger level down). A
-- statement trigger fires for the table a statement names, so each partition has its own.
CREATE OR REPLACE FUNCTION "refuse_direct_history_writes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'opportunity_history is written by the triggers on opportunities only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "ensure_opportunity_history_partition"("ended_at" TIMESTAMPTZ) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  month_start DATE := date_trunc('month', ended_at AT TIME ZONE 'UTC')::date;
  month_end DATE := (month_start + INTERVAL '1 month')::date;
  partition TEXT := 'opportunity_history_' || to_char(month_start, 'YYYY_MM');
BEGIN
  IF to_regclass(quote_ident(partition)) IS NOT NULL THEN
    RETURN;
  END IF;
  BEGIN
    EXECUTE format('CREATE TABLE %I (LIKE opportunity_history INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition);
    EXECUTE format('ALTER TABLE opportunity_history ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
      partition, to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(month_end, 'YYYY-MM-DD') || ' 00:00:00+00');
    EXECUTE format('CREATE TRIGGER opportunity_history_written_by_triggers BEFORE INSERT OR UPDATE OR DELETE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_direct_history_writes()', partition);
  EXCEPTION WHEN duplicate_table THEN
    NULL; -- another transaction made this month's partition first
  END;
END $$;

DO $$
DECLARE
  ended_at TIMESTAMPTZ;
  privilege RECORD;
BEGIN
  FOR ended_at IN SELECT DISTINCT date_trunc('month', "valid_to" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM "opportunity_history_unpartitioned" LOOP
    PERFORM ensure_opportunity_history_partition(ended_at);
  END LOOP;
  -- Whatever an administrator granted on the table holds for its replacement.
  FOR privilege IN SELECT a.privilege_type, a.grantee::regrole::text AS grantee
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid = 'opportunity_history_unpartitioned'::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner LOOP
    EXECUTE format('GRANT %s ON opportunity_history TO %s', privilege.privilege_type, privilege.grantee);
  END LOOP;
END $$;

INSERT INTO "opportunity_history" SELECT * FROM "opportunity_history_unpartitioned";

CREATE OR REPLACE VIEW "opportunity_versions" AS
  SELECT "opp_id", "valid_from", "valid_to", "customer_id", "stage", "close_date", "amount", "sales_owner", "name", "created_date",
         "forecast_category", "probability", "run_id", "removed", "first_seen", "stage_since", "push_count"
  FROM "opportunity_history"
  UNION ALL
  SELECT "opp_id", "valid_from", NULL::TIMESTAMPTZ(6), "customer_id", "stage", "close_date", "amount", "sales_owner", "name", "created_date",
         "forecast_category", "probability", "run_id", FALSE, "first_seen", "stage_since", "push_count"
  FROM "opportunities";
DROP TABLE "opportunity_history_unpartitioned";

CREATE TRIGGER "opportunity_history_written_by_triggers" BEFORE INSERT OR UPDATE OR DELETE ON "opportunity_history"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_direct_history_writes"();

-- The two writers of history make the month they write to (every version a statement ends, ends
-- at the change's one instant).
CREATE OR REPLACE FUNCTION "record_opportunity_updates"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
    RETURN NULL;
  END IF;
  PERFORM ensure_opportunity_history_partition(history_effective_at());
  INSERT INTO opportunity_history (opp_id, valid_from, valid_to, customer_id, stage, close_date, amount, sales_owner, name, created_date,
    forecast_category, probability, run_id, removed, first_seen, stage_since, push_count)
  SELECT o.opp_id, o.valid_from, n.valid_from, o.customer_id, o.stage, o.close_date, o.amount, o.sales_owner, o.name, o.created_date,
    o.forecast_category, o.probability, o.run_id, FALSE, o.first_seen, o.stage_since, o.push_count
  FROM old_rows o JOIN new_rows n ON n.opp_id = o.opp_id
  WHERE n.valid_from > o.valid_from;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "record_opportunity_deletes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM old_rows o WHERE o.valid_from > eff) THEN
    RAISE EXCEPTION 'overlapping versions of an opportunity: a change dated before a recorded one' USING ERRCODE = 'exclusion_violation';
  END IF;
  PERFORM ensure_opportunity_history_partition(eff);
  INSERT INTO opportunity_history (opp_id, valid_from, valid_to, customer_id, stage, close_date, amount, sales_owner, name, created_date,
    forecast_category, probability, run_id, removed, first_seen, stage_since, push_count)
  SELECT o.opp_id, o.valid_from, eff, o.customer_id, o.stage, o.close_date, o.amount, o.sales_owner, o.name, o.created_date,
    o.forecast_category, o.probability, o.run_id, TRUE, o.first_seen, o.stage_since, o.push_count
  FROM old_rows o WHERE o.valid_from < eff;
  UPDATE opportunity_history h SET removed = TRUE
  FROM old_rows o WHERE o.valid_from = eff AND h.opp_id = o.opp_id AND h.valid_to = eff;
  RETURN NULL;
END $$;

ANALYZE "opportunity_history";
