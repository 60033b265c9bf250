import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { seedDemoData } from "../lib/demo/seed-demo-data";
import { today } from "../lib/today";
import { runScript } from "./run-script";

// Prepares the database for `npm run demo` / `npm run dev`: migrate, and seed demo data when it holds none.
runScript(async () => {
  const db = await openDatabase();
  try {
    const { applied } = await migrate(db.driver);
    if (applied.length > 0) console.log(`${db.description}: applied ${applied.join(", ")}.`);
    if ((await db.prisma.opportunity.count()) === 0) {
      const inserted = await seedDemoData(db, today());
      console.log(`${db.description}: empty, so seeded demo data (${inserted.customers} customers, ${inserted.opportunities} opportunities).`);
    } else {
      console.log(`${db.description}: ready.`);
    }
  } finally {
    await db.close();
  }
});
