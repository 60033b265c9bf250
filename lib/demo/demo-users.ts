import type { PrismaClient } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import { createUser } from "../auth/users";
import { DEMO_MANAGERS, generateDemoData } from "./generate-demo-data";

/**
 * Sign-ins for the embedded demo only (never created on PostgreSQL): one admin,
 * the manager of the first demo team, and a rep of that team. The passwords are
 * public (README), which is fine for demo data on a laptop and nowhere else.
 */
export function demoUsers() {
  const firstTeam = generateDemoData({ today: "2000-01-01" as CalendarDate, opportunities: 0 }).teams.filter(
    (member) => member.manager === DEMO_MANAGERS[0],
  );
  return [
    { email: "admin@demo.test", name: "Ada Admin", role: "admin", ownerId: null, password: "demo-admin-2026" },
    {
      email: "manager@demo.test",
      name: "Max Manager",
      role: "manager",
      ownerId: DEMO_MANAGERS[0],
      password: "demo-manager-2026",
    },
    {
      email: "rep@demo.test",
      name: `Rita Rep (${firstTeam[0].salesOwner})`,
      role: "rep",
      ownerId: firstTeam[0].salesOwner,
      password: "demo-rep-2026",
    },
  ] as const;
}

/** Creates the demo users when the database has no users at all; returns the ones created. */
export async function createDemoUsers(prisma: PrismaClient) {
  if ((await prisma.user.count()) > 0) return [];
  const users = demoUsers();
  for (const user of users) await createUser(prisma, user);
  return users;
}
