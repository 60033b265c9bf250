import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { seedDemoData } from "../lib/demo/seed-demo-data";
import { today } from "../lib/today";
import { runScript } from "./run-script";

runScript(async () => {
  const db = await openDatabase();
  try {
    await migrate(db.driver);
    const seeded = await seedDemoData(db, today());
    console.log(
      seeded.seeded
        ? `${db.description}: demo data inserted: ${seeded.customers} customers, ${seeded.opportunities} opportunities and ${seeded.weeks} weeks of their history.`
        : `${db.description}: already holds data, left as it was (demo data goes into an empty database only).`,
    );
  } finally {
    await db.close();
  }
});
