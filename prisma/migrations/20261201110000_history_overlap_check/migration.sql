-- Overlapping versions of one record are refused by a statement-level check instead of the
-- exclusion constraints. The GiST index behind an exclusion constraint on (text id, range) cost
-- about 0.3 ms per written version at 1M deals: 29 s of a 41 s weekly import of 100k changed
-- deals, 12 s without it (BENCHMARKS.md, session 6). The check below probes the record's own
-- versions through the primary key (opp_id, valid_from), a few microseconds each.
--
-- Together they refuse what the constraints refused, for every write path: at most one current
-- version per record (a unique partial index: a change dated before the current version's start
-- would open a second one), and after each statement that writes versions, none of the written
-- ones overlaps another version of its record (a record added back, or a version written
-- directly, over recorded time). Writers of one record take turns on its row in the current
-- table, so the check sees every committed version of the records it writes.

ALTER TABLE "opportunity_versions" DROP CONSTRAINT "opportunity_versions_no_overlap";
ALTER TABLE "customer_versions" DROP CONSTRAINT "customer_versions_no_overlap";

DROP INDEX "opportunity_versions_current_idx";
CREATE UNIQUE INDEX "opportunity_versions_current_idx" ON "opportunity_versions" ("opp_id") WHERE "valid_to" IS NULL;
DROP INDEX "customer_versions_current_idx";
CREATE UNIQUE INDEX "customer_versions_current_idx" ON "customer_versions" ("customer_id") WHERE "valid_to" IS NULL;

CREATE FUNCTION "refuse_overlapping_opportunity_versions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM written w JOIN opportunity_versions v ON v.opp_id = w.opp_id AND v.valid_from <> w.valid_from
    WHERE v.valid_from < COALESCE(w.valid_to, 'infinity') AND w.valid_from < COALESCE(v.valid_to, 'infinity')
  ) THEN
    RAISE EXCEPTION 'overlapping versions of an opportunity: a change dated before a recorded one' USING ERRCODE = 'exclusion_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "refuse_overlapping_customer_versions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM written w JOIN customer_versions v ON v.customer_id = w.customer_id AND v.valid_from <> w.valid_from
    WHERE v.valid_from < COALESCE(w.valid_to, 'infinity') AND w.valid_from < COALESCE(v.valid_to, 'infinity')
  ) THEN
    RAISE EXCEPTION 'overlapping versions of a customer: a change dated before a recorded one' USING ERRCODE = 'exclusion_violation';
  END IF;
  RETURN NULL;
END
$$;

-- A trigger with transition tables takes one event: one for inserts, one for updates.
CREATE TRIGGER "opportunity_versions_no_overlap_insert" AFTER INSERT ON "opportunity_versions"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "refuse_overlapping_opportunity_versions"();
CREATE TRIGGER "opportunity_versions_no_overlap_update" AFTER UPDATE ON "opportunity_versions"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "refuse_overlapping_opportunity_versions"();
CREATE TRIGGER "customer_versions_no_overlap_insert" AFTER INSERT ON "customer_versions"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "refuse_overlapping_customer_versions"();
CREATE TRIGGER "customer_versions_no_overlap_update" AFTER UPDATE ON "customer_versions"
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION "refuse_overlapping_customer_versions"();
