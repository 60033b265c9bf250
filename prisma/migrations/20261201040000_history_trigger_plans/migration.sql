-- The history triggers of 20261201020000_history gather the changed rows in a temporary table
-- that has no statistics, so the planner took it for about 70 rows and closed the current
-- versions with a nested loop over every current version for each changed row: 400 changes
-- against 4,500 current versions took 0.6 s on PostgreSQL, and a weekly import of 100,000
-- changes against a million would not finish. Analyzing the table gives the planner its size
-- (hash or index joins); a statement that changed nothing returns before touching the versions.

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
      name = c.name, created_date = c.created_date, forecast_category = c.forecast_category, probability = c.probability, run_id = run
  FROM history_changed_opportunities c
  WHERE v.opp_id = c.opp_id AND v.valid_to IS NULL AND v.valid_from = eff;
  UPDATE opportunity_versions v SET valid_to = eff
  FROM history_changed_opportunities c
  WHERE v.opp_id = c.opp_id AND v.valid_to IS NULL AND v.valid_from < eff;
  INSERT INTO opportunity_versions (opp_id, valid_from, customer_id, stage, close_date, amount, sales_owner, name, created_date, forecast_category, probability, run_id)
  SELECT c.opp_id, eff, c.customer_id, c.stage, c.close_date, c.amount, c.sales_owner, c.name, c.created_date, c.forecast_category, c.probability, run
  FROM history_changed_opportunities c
  WHERE NOT EXISTS (SELECT 1 FROM opportunity_versions v WHERE v.opp_id = c.opp_id AND v.valid_from = eff);
  DROP TABLE history_changed_opportunities;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION record_customer_updates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
  run INTEGER := history_run_id();
BEGIN
  CREATE TEMP TABLE history_changed_customers ON COMMIT DROP AS
    SELECT n.* FROM new_rows n JOIN old_rows o ON o.customer_id = n.customer_id
    WHERE (o.name, o.churn_risk) IS DISTINCT FROM (n.name, n.churn_risk);
  IF NOT EXISTS (SELECT 1 FROM history_changed_customers) THEN
    DROP TABLE history_changed_customers;
    RETURN NULL;
  END IF;
  ANALYZE history_changed_customers;
  UPDATE customer_versions v SET name = c.name, churn_risk = c.churn_risk, run_id = run
  FROM history_changed_customers c
  WHERE v.customer_id = c.customer_id AND v.valid_to IS NULL AND v.valid_from = eff;
  UPDATE customer_versions v SET valid_to = eff
  FROM history_changed_customers c
  WHERE v.customer_id = c.customer_id AND v.valid_to IS NULL AND v.valid_from < eff;
  INSERT INTO customer_versions (customer_id, valid_from, name, churn_risk, run_id)
  SELECT c.customer_id, eff, c.name, c.churn_risk, run
  FROM history_changed_customers c
  WHERE NOT EXISTS (SELECT 1 FROM customer_versions v WHERE v.customer_id = c.customer_id AND v.valid_from = eff);
  DROP TABLE history_changed_customers;
  RETURN NULL;
END $$;
