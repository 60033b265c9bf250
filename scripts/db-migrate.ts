import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { runScript } from "./run-script";

runScript(async () => {
  const db = await openDatabase();
  try {
    const { applied } = await migrate(db.driver);
    console.log(
      applied.length === 0 ? `${db.description}: up to date.` : `${db.description}: applied ${applied.join(", ")}.`,
    );
  } finally {
    await db.close();
  }
});
