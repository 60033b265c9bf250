-- The table's two sort orders (amount, close date; opp_id breaks ties) extended with the
-- filter columns, so a page at any depth is an index-only scan that also checks the
-- stage/date/amount/owner filters without visiting the table (BENCHMARKS.md, Scale).
-- They replace the two-column indexes, which are their prefixes.

-- DropIndex
DROP INDEX "opportunities_close_date_opp_id_idx";

-- DropIndex
DROP INDEX "opportunities_amount_opp_id_idx";

-- CreateIndex
CREATE INDEX "opportunities_close_date_opp_id_stage_amount_sales_owner_idx" ON "opportunities"("close_date", "opp_id", "stage", "amount", "sales_owner");

-- CreateIndex
CREATE INDEX "opportunities_amount_opp_id_stage_close_date_sales_owner_idx" ON "opportunities"("amount", "opp_id", "stage", "close_date", "sales_owner");
