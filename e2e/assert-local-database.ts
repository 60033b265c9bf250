/** e2e tests write a database of their own; refuse anything but a local one. */
export function assertLocalDatabase(url = process.env.DATABASE_URL): void {
  if (url && /^postgres(ql)?:\/\//.test(url) && !/@(localhost|127\.0\.0\.1)[:/]/.test(url)) {
    throw new Error(`Refusing to run e2e tests against a non-local database (${url.replace(/:[^:@/]*@/, ":***@")})`);
  }
}
