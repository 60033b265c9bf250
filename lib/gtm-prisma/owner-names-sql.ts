import type { PrismaClient } from "../db/generated/client";
import type { OwnerNames } from "../gtm/owner-names";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { scopeSql } from "./pipeline-sql";

/** The display names the teams file gives the sales owners in `scope`. */
export async function readOwnerNames(
  prisma: Pick<PrismaClient, "$queryRaw">,
  scope: PipelineScope,
): Promise<OwnerNames> {
  const rows = await prisma.$queryRaw<{ owner: string; name: string }[]>`
    SELECT o.sales_owner AS owner, o.owner_name AS name FROM sales_teams o
    WHERE o.owner_name IS NOT NULL AND ${scopeSql(scope)}`;
  return Object.fromEntries(rows.map((row) => [row.owner, row.name]));
}
