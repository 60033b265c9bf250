-- Optional fields of the CRM files (PRODUCT.md "Import CSV headers"): a deal's name, the
-- day it was created (defaults to the day it was first recorded), its forecast category
-- and probability; display names of sales owners and managers.

-- CreateEnum
CREATE TYPE "forecast_category" AS ENUM ('pipeline', 'best_case', 'commit', 'omitted');

-- AlterTable
ALTER TABLE "opportunities" ADD COLUMN "name" VARCHAR(500),
ADD COLUMN "created_date" DATE NOT NULL DEFAULT CURRENT_DATE,
ADD COLUMN "forecast_category" "forecast_category",
ADD COLUMN "probability" INTEGER,
ADD CONSTRAINT "opportunities_probability_check" CHECK ("probability" BETWEEN 0 AND 100);

-- AlterTable
ALTER TABLE "sales_teams" ADD COLUMN "owner_name" VARCHAR(200),
ADD COLUMN "manager_name" VARCHAR(200);
