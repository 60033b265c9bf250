-- Forecast (issue "Forecast"): quotas per sales owner and period, the admin's forecast
-- settings (one row, the defaults below) and an audit of every change to them.

-- CreateTable
CREATE TABLE "quotas" (
    "sales_owner" VARCHAR(64) NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,

    CONSTRAINT "quotas_pkey" PRIMARY KEY ("sales_owner", "period"),
    CONSTRAINT "quotas_period_check" CHECK ("period" ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$' AND "period" NOT LIKE '0000-%'),
    CONSTRAINT "quotas_amount_check" CHECK ("amount" >= 0)
);

-- CreateTable
CREATE TABLE "forecast_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "prospecting_probability" INTEGER NOT NULL DEFAULT 10,
    "qualification_probability" INTEGER NOT NULL DEFAULT 25,
    "proposal_probability" INTEGER NOT NULL DEFAULT 50,
    "at_risk_haircut_percent" INTEGER NOT NULL DEFAULT 50,
    "coverage_threshold" DECIMAL(5,2) NOT NULL DEFAULT 3,

    CONSTRAINT "forecast_settings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "forecast_settings_single_row" CHECK ("id" = 1),
    CONSTRAINT "forecast_settings_percent_check" CHECK (
        "prospecting_probability" BETWEEN 0 AND 100 AND "qualification_probability" BETWEEN 0 AND 100
        AND "proposal_probability" BETWEEN 0 AND 100 AND "at_risk_haircut_percent" BETWEEN 0 AND 100),
    CONSTRAINT "forecast_settings_coverage_check" CHECK ("coverage_threshold" > 0)
);

INSERT INTO "forecast_settings" ("id") VALUES (1);

-- CreateTable
-- Who is kept as id and email, without a foreign key: deleting a user must not delete the history.
CREATE TABLE "forecast_settings_audit" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "user_email" TEXT NOT NULL,
    "changed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "field" VARCHAR(64) NOT NULL,
    "old_value" TEXT NOT NULL,
    "new_value" TEXT NOT NULL,

    CONSTRAINT "forecast_settings_audit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "forecast_settings_audit_changed_at_idx" ON "forecast_settings_audit"("changed_at");
