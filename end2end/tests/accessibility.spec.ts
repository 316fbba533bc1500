import { expect, test } from "@playwright/test";
import { violations } from "./axe";
import { publicPages } from "./seed";
import { signIn, staff, staffPages } from "./staff";

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`axe-core, ${colorScheme} mode`, () => {
    test.use({ colorScheme });

    for (const path of [...publicPages, "/no-such-page"]) {
      test(`${path} has no violations`, async ({ page }) => {
        await page.goto(path);
        expect(await violations(page)).toEqual([]);
      });
    }
  });
}

test.describe("axe-core on the staff pages", () => {
  const adminPages = staffPages;

  for (const colorScheme of ["light", "dark"] as const) {
    test(`the sign-in page and its error have no violations (${colorScheme})`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto("/admin/login");
      expect(await violations(page)).toEqual([]);
      await page.getByLabel("Email").fill("nobody@clinic.example");
      await page.getByLabel("Password").fill("not a password at all");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert")).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });

    test(`every admin page has no violations (${colorScheme})`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await signIn(page, staff.admin.email);
      for (const path of adminPages) {
        await page.goto(path);
        expect(await violations(page), path).toEqual([]);
      }
      // The editor showing field errors.
      await page.goto("/admin/articles/new");
      await page.getByRole("button", { name: "Save draft" }).click();
      await expect(page.getByRole("alert")).toBeVisible();
      expect(await violations(page), "editor with errors").toEqual([]);
      // The history with a diff.
      await page.goto("/admin/articles/1/history?from=1&to=1");
      expect(await violations(page), "history with a diff").toEqual([]);
    });
  }
});
