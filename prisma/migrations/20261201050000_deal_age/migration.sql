-- What a deal's history says about it (lib/gtm/deal-age.ts states the rule): when it was first
-- seen, since when it has been in its stage, and how many times its close date moved later.
-- Kept on every version and on the current row, so any day's view reads them as plain columns
-- (sort, filter, page) instead of walking history per request. A deal added back after a
-- snapshot removed it starts afresh, like its timeline.

ALTER TABLE "opportunities"
  ADD COLUMN "first_seen" TIMESTAMPTZ(6),
  ADD COLUMN "stage_since" TIMESTAMPTZ(6),
  ADD COLUMN "push_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "opportunity_versions"
  ADD COLUMN "first_seen" TIMESTAMPTZ(6),
  ADD COLUMN "stage_since" TIMESTAMPTZ(6),
  ADD COLUMN "push_count" INTEGER NOT NULL DEFAULT 0;

-- The history recorded so far: each version's values from the versions before it, since the
-- last fresh start (the first version, or the first after a removal).
WITH ordered AS (
  SELECT v.opp_id, v.valid_from, v.stage, v.close_date,
    COALESCE(lag(v.removed) OVER w OR lag(v.valid_to) OVER w IS DISTINCT FROM v.valid_from, TRUE) AS fresh,
    lag(v.stage) OVER w AS prev_stage, lag(v.close_date) OVER w AS prev_close_date
  FROM opportunity_versions v WINDOW w AS (PARTITION BY v.opp_id ORDER BY v.valid_from)
), runs AS (
  SELECT o.*, sum(o.fresh::int) OVER (PARTITION BY o.opp_id ORDER BY o.valid_from) AS life FROM ordered o
), stages AS (
  SELECT r.*, sum((r.fresh OR r.stage IS DISTINCT FROM r.prev_stage)::int) OVER (PARTITION BY r.opp_id ORDER BY r.valid_from) AS stage_run FROM runs r
), derived AS (
  SELECT s.opp_id, s.valid_from,
    min(s.valid_from) OVER (PARTITION BY s.opp_id, s.life) AS first_seen,
    min(s.valid_from) OVER (PARTITION BY s.opp_id, s.stage_run) AS stage_since,
    (sum((NOT s.fresh AND s.close_date > s.prev_close_date)::int) OVER (PARTITION BY s.opp_id, s.life ORDER BY s.valid_from))::int AS push_count
  FROM stages s
)
UPDATE opportunity_versions v SET first_seen = d.first_seen, stage_since = d.stage_since, push_count = d.push_count
FROM derived d WHERE d.opp_id = v.opp_id AND d.valid_from = v.valid_from;

UPDATE opportunities o SET first_seen = v.first_seen, stage_since = v.stage_since, push_count = v.push_count
FROM opportunity_versions v WHERE v.opp_id = o.opp_id AND v.valid_to IS NULL;

-- A new row is seen, and in its stage, from the instant it takes effect.
ALTER TABLE "opportunities"
  ALTER COLUMN "first_seen" SET DEFAULT history_effective_at(),
  ALTER COLUMN "first_seen" SET NOT NULL,
  ALTER COLUMN "stage_since" SET DEFAULT history_effective_at(),
  ALTER COLUMN "stage_since" SET NOT NULL;

-- A changed stage or close date: the values follow from the version in force before this
-- change takes effect (not from OLD, which may be a change made at this same instant).
CREATE FUNCTION derive_deal_age() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
  prev RECORD;
BEGIN
  SELECT v.stage, v.close_date, v.first_seen, v.stage_since, v.push_count, v.removed INTO prev
  FROM opportunity_versions v WHERE v.opp_id = NEW.opp_id AND v.valid_from < eff
  ORDER BY v.valid_from DESC LIMIT 1;
  -- None, or the end of an earlier life (removed, then added back at this instant): a fresh start.
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

CREATE TRIGGER opportunities_deal_age BEFORE UPDATE ON opportunities FOR EACH ROW
  WHEN (NEW.stage IS DISTINCT FROM OLD.stage OR NEW.close_date IS DISTINCT FROM OLD.close_date)
  EXECUTE FUNCTION derive_deal_age();

-- The history triggers copy the three columns into the versions they write.
CREATE OR REPLACE FUNCTION record_opportunity_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO opportunity_versions (opp_id, valid_from, customer_id, stage, close_date, amount, sales_owner, name, created_date, forecast_category, probability, run_id, first_seen, stage_since, push_count)
  SELECT n.opp_id, history_effective_at(), n.customer_id, n.stage, n.close_date, n.amount, n.sales_owner, n.name, n.created_date, n.forecast_category, n.probability, history_run_id(), n.first_seen, n.stage_since, n.push_count
  FROM new_rows n;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION record_opportunity_updates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
  run INTEGER := history_run_id();
BEGIN
  CREATE TEMP TABLE history_changed_opportunities ON COMMIT DROP AS
    SELECT n.* FROM new_rows n JOIN old_rows o ON o.opp_id = n.opp_id
    WHERE (o.customer_id, o.stage, o.close_date, o.amount, o.sales_owner, o.name, o.created_date, o.forecast_category, o.probability)
      IS DISTINCT FROM (n.customer_id, n.stage, n.close_date, n.amount, n.sales_owner, n.name, n.created_date, n.forecast_category, n.probability);
  IF NOT EXISTS (SELECT 1 FROM history_changed_opportunities) THEN
    DROP TABLE history_changed_opportunities;
    RETURN NULL;
  END IF;
  ANALYZE history_changed_opportunities;
  UPDATE opportunity_versions v
  SET customer_id = c.customer_id, stage = c.stage, close_date = c.close_date, amount = c.amount, sales_owner = c.sales_owner,
      name = c.name, created_date = c.created_date, forecast_category = c.forecast_category, probability = c.probability, run_id = run,
      first_seen = c.first_seen, stage_since = c.stage_since, push_count = c.push_count
  FROM history_changed_opportunities c
  WHERE v.opp_id = c.opp_id AND v.valid_to IS NULL AND v.valid_from = eff;
  UPDATE opportunity_versions v SET valid_to = eff
  FROM history_changed_opportunities c
  WHERE v.opp_id = c.opp_id AND v.valid_to IS NULL AND v.valid_from < eff;
  INSERT INTO opportunity_versions (opp_id, valid_from, customer_id, stage, close_date, amount, sales_owner, name, created_date, forecast_category, probability, run_id, first_seen, stage_since, push_count)
  SELECT c.opp_id, eff, c.customer_id, c.stage, c.close_date, c.amount, c.sales_owner, c.name, c.created_date, c.forecast_category, c.probability, run, c.first_seen, c.stage_since, c.push_count
  FROM history_changed_opportunities c
  WHERE NOT EXISTS (SELECT 1 FROM opportunity_versions v WHERE v.opp_id = c.opp_id AND v.valid_from = eff);
  DROP TABLE history_changed_opportunities;
  RETURN NULL;
END $$;
