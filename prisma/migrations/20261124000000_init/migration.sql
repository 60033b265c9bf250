-- CreateEnum
CREATE TYPE "churn_risk" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "sales_stage" AS ENUM ('prospecting', 'qualification', 'proposal', 'closed_won', 'closed_lost');

-- CreateTable
CREATE TABLE "customers" (
    "customer_id" VARCHAR(64) NOT NULL,
    "name" VARCHAR(500) NOT NULL,
    "churn_risk" "churn_risk" NOT NULL,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "opportunities" (
    "opp_id" VARCHAR(64) NOT NULL,
    "customer_id" VARCHAR(64) NOT NULL,
    "stage" "sales_stage" NOT NULL,
    "close_date" DATE NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "sales_owner" VARCHAR(64) NOT NULL,

    CONSTRAINT "opportunities_pkey" PRIMARY KEY ("opp_id")
);

-- CreateIndex
CREATE INDEX "customers_churn_risk_idx" ON "customers"("churn_risk");

-- CreateIndex
CREATE INDEX "opportunities_customer_id_idx" ON "opportunities"("customer_id");

-- CreateIndex
CREATE INDEX "opportunities_sales_owner_close_date_idx" ON "opportunities"("sales_owner", "close_date");

-- CreateIndex
CREATE INDEX "opportunities_close_date_opp_id_idx" ON "opportunities"("close_date", "opp_id");

-- CreateIndex
CREATE INDEX "opportunities_amount_opp_id_idx" ON "opportunities"("amount", "opp_id");

-- CreateIndex
CREATE INDEX "opportunities_stage_idx" ON "opportunities"("stage");

-- AddForeignKey
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("customer_id") ON DELETE RESTRICT ON UPDATE CASCADE;
