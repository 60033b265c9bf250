import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { seedDemoData } from "../lib/demo/seed-demo-data";
import { today } from "../lib/today";
import { runScript } from "./run-script";

runScript(async () => {
  const db = await openDatabase();
  try {
    await migrate(db.driver);
    const inserted = await seedDemoData(db, today());
    console.log(`${db.description}: demo data inserted ${inserted.customers} customers and ${inserted.opportunities} opportunities (existing ids left as they were).`);
  } finally {
    await db.close();
  }
});
