-- CreateTable
CREATE TABLE "sales_teams" (
    "sales_owner" VARCHAR(64) NOT NULL,
    "manager" VARCHAR(64) NOT NULL,

    CONSTRAINT "sales_teams_pkey" PRIMARY KEY ("sales_owner")
);

-- CreateIndex
CREATE INDEX "sales_teams_manager_idx" ON "sales_teams"("manager");
