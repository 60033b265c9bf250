import "server-only";
import { getOpportunityRepository } from "../db/server";
import { today } from "../today";
import type { ApiDeps } from "./api-deps";

export const serverApiDeps: ApiDeps = { repository: getOpportunityRepository, today: () => today() };
