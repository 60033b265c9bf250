import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { createDemoUsers } from "../lib/demo/demo-users";
import { seedDemoData } from "../lib/demo/seed-demo-data";
import { today } from "../lib/today";
import { runScript } from "./run-script";

// Prepares the database for `npm run demo` / `npm run dev`: migrate, seed demo data when
// it holds none, and on the embedded database only, create the demo sign-ins.
runScript(async () => {
  const db = await openDatabase();
  try {
    const { applied } = await migrate(db.driver);
    if (applied.length > 0) console.log(`${db.description}: applied ${applied.join(", ")}.`);
    if ((await db.prisma.opportunity.count()) === 0) {
      const seeded = await seedDemoData(db, today());
      console.log(
        seeded.seeded
          ? `${db.description}: empty, so seeded demo data (${seeded.customers} customers, ${seeded.opportunities} opportunities, ${seeded.weeks} weeks of history).`
          : `${db.description}: holds history but no opportunities; not seeded.`,
      );
    } else {
      console.log(`${db.description}: ready.`);
    }
    if (db.target.kind === "pglite") {
      const users = await createDemoUsers(db.prisma);
      if (users.length > 0) {
        console.log("\nDemo sign-ins (embedded demo database only):");
        for (const user of users)
          console.log(`  ${user.role.padEnd(8)} ${user.email.padEnd(20)} password: ${user.password}`);
        console.log("");
      }
    } else if ((await db.prisma.user.count()) === 0) {
      console.log(`No users yet. Create one: npm run user -- create --email you@example.com --role admin`);
    }
  } finally {
    await db.close();
  }
});
