-- The summary reads the months a query's dates cut through live from opportunities
-- (lib/gtm-prisma/pipeline-rollup.ts). With customer_id in the close-date covering index,
-- that read is an index-only scan (BENCHMARKS.md: a month of 1M rows, 125-178 ms -> 26 ms).
-- opp_id is unique, so the added last column changes no order.

-- DropIndex
DROP INDEX "opportunities_close_date_opp_id_stage_amount_sales_owner_idx";

-- CreateIndex
CREATE INDEX "opportunities_close_date_covering_idx" ON "opportunities"("close_date", "opp_id", "stage", "amount", "sales_owner", "customer_id");
