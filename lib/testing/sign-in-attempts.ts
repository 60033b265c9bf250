/**
 * Another server process, for tests: signs in `count` times as `email` with `password` from
 * the socket address `address`, on DATABASE_URL's database, and prints the statuses as JSON.
 * Usage: node --import tsx lib/testing/sign-in-attempts.ts <address> <count> <email> <password>
 */
import { createAuth } from "../auth/create-auth";
import { openDatabase } from "../db/open-database";
import { parseTrustedProxies, withResolvedClientAddress } from "../http/client-address";
import { setReceivedForwardedForAside } from "../http/forwarded-for";

const ORIGIN = "http://pipeline.test";
const [address, count, email, password] = process.argv.slice(2);
async function main(): Promise<void> {
  const db = await openDatabase();
  const auth = createAuth(db, { baseURL: ORIGIN });
  const statuses: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    const headers = new Headers({ "content-type": "application/json", origin: ORIGIN });
    setReceivedForwardedForAside(headers);
    headers.set("x-forwarded-for", address);
    const request = new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email, password }),
    });
    statuses.push((await auth.handler(withResolvedClientAddress(request, parseTrustedProxies(undefined)))).status);
  }
  await db.close();
  console.log(JSON.stringify(statuses));
}

void main();
