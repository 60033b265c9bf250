-- Amounts are never negative: the import refuses them (lib/import/field-rules.ts), and now the
-- database does too, for every writer. A bucket's page of what changed is read in the order of one
-- day's amounts (pipeline-changes-sql.ts, walkFor): a deal leaving the view changes it by minus
-- its amount, and that change's size orders as the amount only when no amount is below zero.
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_amount_not_negative" CHECK ("amount" >= 0);
ALTER TABLE "opportunity_history" ADD CONSTRAINT "opportunity_history_amount_not_negative" CHECK ("amount" >= 0);
