import { expect, test as setup } from "@playwright/test";
import { demoUsers } from "../lib/demo/demo-users";

// One sign-in per role for the whole run, through the real form; specs reuse the cookies.
for (const user of demoUsers()) {
  setup(`sign in as the demo ${user.role}`, async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The first sign-in also renders a cold dashboard; on a busy machine that takes longer than expect's 5 s.
    await expect(page.getByTestId("signed-in-as")).toHaveText(`${user.email} · ${user.role}`, { timeout: 30_000 });
    await page.context().storageState({ path: `.auth/${user.role}.json` });
  });
}
