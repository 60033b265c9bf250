import { ALL_OWNERS, ownersScope, type PipelineScope } from "../gtm/pipeline-scope";

export const USER_ROLES = ["admin", "manager", "rep"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export function isUserRole(role: string): role is UserRole {
  return (USER_ROLES as readonly string[]).includes(role);
}

/**
 * Rep sees own, manager sees team, admin sees everything. A manager's team is
 * the sales owners whose manager (teams file, or an admin) is the manager's id;
 * deals under the manager's own id count too.
 */
export function scopeForRole(role: UserRole, ownerId: string | null, teamOwners: string[]): PipelineScope {
  switch (role) {
    case "admin":
      return ALL_OWNERS;
    case "rep":
      return ownersScope(ownerId ? [ownerId] : []);
    case "manager":
      return ownersScope(ownerId ? [ownerId, ...teamOwners] : []);
  }
}

/** The viewer's scope by name, as files say it: "All owners" (admins only), "Team mgr.north", "Owner ana.silva". */
export function scopeName(viewer: { role: UserRole; ownerId: string | null }): string {
  if (viewer.role === "admin") return "All owners";
  if (!viewer.ownerId) return "Nothing (no sales owner linked)";
  return viewer.role === "manager" ? `Team ${viewer.ownerId}` : `Owner ${viewer.ownerId}`;
}

export function describeScope(scope: PipelineScope): string {
  if (scope.kind === "all") return "All sales owners";
  if (scope.owners.length === 0) return "Nothing (no sales owner linked)";
  return scope.owners.length <= 4
    ? scope.owners.join(", ")
    : `${scope.owners.slice(0, 3).join(", ")} and ${scope.owners.length - 3} more`;
}
