-- History (PRODUCT.md "History"): every state an opportunity or customer has had, with the
-- instant it became true (valid_from) and the instant it stopped (valid_to; NULL while current).
-- Triggers on the current tables write the versions inside the writer's transaction, so every
-- write path records history and a failed write records none. A writer says when its change
-- takes effect and which import made it with
--   SELECT set_config('pipeline.effective_at', '<timestamptz>', true), set_config('pipeline.run_id', '<id>', true);
-- without them a change takes effect at the transaction's time, with no run.
-- The exclusion constraints make overlapping versions of one record impossible, so a change
-- dated before a record's latest version fails instead of rewriting the past.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- CreateTable
CREATE TABLE "import_runs" (
    "id" SERIAL NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "effective_at" TIMESTAMPTZ(6) NOT NULL,
    "effective_date" DATE,
    "source" VARCHAR(200) NOT NULL,
    "files" TEXT NOT NULL,
    "snapshot" BOOLEAN NOT NULL DEFAULT false,
    "counts" JSONB NOT NULL,

    CONSTRAINT "import_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opportunity_versions" (
    "opp_id" VARCHAR(64) NOT NULL,
    "valid_from" TIMESTAMPTZ(6) NOT NULL,
    "valid_to" TIMESTAMPTZ(6),
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

    CONSTRAINT "opportunity_versions_pkey" PRIMARY KEY ("opp_id","valid_from"),
    CONSTRAINT "opportunity_versions_order" CHECK ("valid_to" IS NULL OR "valid_from" < "valid_to"),
    CONSTRAINT "opportunity_versions_no_overlap" EXCLUDE USING gist ("opp_id" WITH =, tstzrange("valid_from", "valid_to") WITH &&)
);

-- CreateTable
CREATE TABLE "customer_versions" (
    "customer_id" VARCHAR(64) NOT NULL,
    "valid_from" TIMESTAMPTZ(6) NOT NULL,
    "valid_to" TIMESTAMPTZ(6),
    "name" VARCHAR(500) NOT NULL,
    "churn_risk" "churn_risk" NOT NULL,
    "run_id" INTEGER,

    CONSTRAINT "customer_versions_pkey" PRIMARY KEY ("customer_id","valid_from"),
    CONSTRAINT "customer_versions_order" CHECK ("valid_to" IS NULL OR "valid_from" < "valid_to"),
    CONSTRAINT "customer_versions_no_overlap" EXCLUDE USING gist ("customer_id" WITH =, tstzrange("valid_from", "valid_to") WITH &&)
);

-- AddForeignKey
ALTER TABLE "opportunity_versions" ADD CONSTRAINT "opportunity_versions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "import_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "customer_versions" ADD CONSTRAINT "customer_versions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "import_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- When a change takes effect and which run made it (set_config(..., true) by the writer).
CREATE FUNCTION history_effective_at() RETURNS TIMESTAMPTZ LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('pipeline.effective_at', true), '')::timestamptz, now())
$$;
CREATE FUNCTION history_run_id() RETURNS INTEGER LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('pipeline.run_id', true), '')::integer
$$;

-- Opportunities. A changed row closes its current version and opens a new one at the effective
-- instant; a second change at the same instant (a corrected file re-imported for the same day)
-- overwrites the version it opened. Rows whose recorded fields did not change write nothing.
CREATE FUNCTION record_opportunity_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO opportunity_versions (opp_id, valid_from, customer_id, stage, close_date, amount, sales_owner, name, created_date, forecast_category, probability, run_id)
  SELECT n.opp_id, history_effective_at(), n.customer_id, n.stage, n.close_date, n.amount, n.sales_owner, n.name, n.created_date, n.forecast_category, n.probability, history_run_id()
  FROM new_rows n;
  RETURN NULL;
END $$;

CREATE FUNCTION record_opportunity_updates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
  run INTEGER := history_run_id();
BEGIN
  CREATE TEMP TABLE history_changed_opportunities ON COMMIT DROP AS
    SELECT n.* FROM new_rows n JOIN old_rows o ON o.opp_id = n.opp_id
    WHERE (o.customer_id, o.stage, o.close_date, o.amount, o.sales_owner, o.name, o.created_date, o.forecast_category, o.probability)
      IS DISTINCT FROM (n.customer_id, n.stage, n.close_date, n.amount, n.sales_owner, n.name, n.created_date, n.forecast_category, n.probability);
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

-- A deleted row (a snapshot import's removal) ends its current version, marked removed.
CREATE FUNCTION record_opportunity_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
BEGIN
  -- Recorded and removed at the same instant: it never existed at any instant.
  DELETE FROM opportunity_versions v USING old_rows o WHERE v.opp_id = o.opp_id AND v.valid_to IS NULL AND v.valid_from = eff;
  UPDATE opportunity_versions v SET valid_to = eff, removed = true
  FROM old_rows o
  WHERE v.opp_id = o.opp_id AND v.valid_from < eff AND (v.valid_to IS NULL OR v.valid_to = eff);
  RETURN NULL;
END $$;

CREATE TRIGGER opportunities_history_insert AFTER INSERT ON opportunities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_opportunity_inserts();
CREATE TRIGGER opportunities_history_update AFTER UPDATE ON opportunities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_opportunity_updates();
CREATE TRIGGER opportunities_history_delete AFTER DELETE ON opportunities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION record_opportunity_deletes();

-- Customers: the same, for name and churn risk (customers are never removed).
CREATE FUNCTION record_customer_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_versions (customer_id, valid_from, name, churn_risk, run_id)
  SELECT n.customer_id, history_effective_at(), n.name, n.churn_risk, history_run_id() FROM new_rows n;
  RETURN NULL;
END $$;

CREATE FUNCTION record_customer_updates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  eff TIMESTAMPTZ := history_effective_at();
  run INTEGER := history_run_id();
BEGIN
  CREATE TEMP TABLE history_changed_customers ON COMMIT DROP AS
    SELECT n.* FROM new_rows n JOIN old_rows o ON o.customer_id = n.customer_id
    WHERE (o.name, o.churn_risk) IS DISTINCT FROM (n.name, n.churn_risk);
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

CREATE TRIGGER customers_history_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_customer_inserts();
CREATE TRIGGER customers_history_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_customer_updates();

-- What is already in the tables is where history starts.
INSERT INTO opportunity_versions (opp_id, valid_from, customer_id, stage, close_date, amount, sales_owner, name, created_date, forecast_category, probability)
SELECT opp_id, now(), customer_id, stage, close_date, amount, sales_owner, name, created_date, forecast_category, probability FROM opportunities;
INSERT INTO customer_versions (customer_id, valid_from, name, churn_risk) SELECT customer_id, now(), name, churn_risk FROM customers;
