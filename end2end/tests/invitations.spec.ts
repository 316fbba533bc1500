import { expect, test, type Page } from "@playwright/test";
import { violations } from "./axe";
import { signIn, staff, uniqueSlug } from "./staff";
import { currentStep, totpCode } from "./totp";
import { nuErrors, pagesDir, savePage } from "./vnu";

// An admin adds a person by name, email and role and is shown an invitation link once; the
// person sets their own password with it and sets up their second factor. Nobody types anyone
// else's password.

/** Checks that no two recovery codes overlap and none spills out of its row. */
async function codesDoNotOverlap(page: Page) {
  const boxes = await page.locator(".recovery-codes li").evaluateAll((items) =>
    items.map((item) => {
      const row = item.getBoundingClientRect();
      const code = item.querySelector("code")!.getBoundingClientRect();
      return { left: row.left, right: row.right, top: row.top, bottom: row.bottom, codeRight: code.right };
    }),
  );
  expect(boxes).toHaveLength(10);
  for (const [i, a] of boxes.entries()) {
    expect(a.codeRight, `code ${i + 1} fits its row`).toBeLessThanOrEqual(a.right + 1);
    for (const b of boxes.slice(i + 1)) {
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      expect(apart, `codes ${i + 1} and another overlap`).toBe(true);
    }
  }
}

test("an admin invites a person, who chooses their own password and sets up their second factor", async ({ browser }) => {
  test.setTimeout(90_000);
  const dir = pagesDir();
  const files: string[] = [];
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, staff.admin.email);
  await admin.goto("/admin/staff");
  const email = `${uniqueSlug("invited")}@clinic.example`;
  await admin.getByLabel("Name", { exact: true }).fill("Ivy Invited");
  await admin.getByLabel("Email", { exact: true }).fill(email);
  await admin.getByLabel("Role", { exact: true }).selectOption("reviewer");
  const added = admin.waitForResponse((response) => response.request().method() === "POST");
  await admin.getByRole("button", { name: "Add and make an invitation link" }).click();
  files.push(savePage(dir, "staff-with-link", await (await added).text()));
  await expect(admin.getByRole("heading", { name: "Ivy Invited\u2019s account is ready: send them this invitation link" })).toBeVisible();
  const link = ((await admin.locator("#staff-link").textContent()) ?? "").trim();
  expect(link).toMatch(/\/admin\/welcome\?token=[0-9a-f]{64}$/);
  await expect(admin.getByRole("button", { name: "Copy the link" })).toBeVisible();
  for (const scheme of ["light", "dark"] as const) {
    await admin.emulateMedia({ colorScheme: scheme });
    expect(await violations(admin), `staff page with the link (${scheme})`).toEqual([]);
  }

  // The person, on their own browser.
  const person = await (await browser.newContext()).newPage();
  const welcome = await person.goto(link);
  files.push(savePage(dir, "welcome", (await welcome?.text()) ?? ""));
  await expect(person.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ivy Invited");
  for (const scheme of ["light", "dark"] as const) {
    await person.emulateMedia({ colorScheme: scheme });
    expect(await violations(person), `welcome page (${scheme})`).toEqual([]);
  }
  await person.getByLabel("Password", { exact: true }).fill("ivy chooses her own long passphrase");
  await person.getByLabel("Password again").fill("ivy chooses her own long passphrase");
  await person.getByRole("button", { name: "Set my password" }).click();
  await expect(person.getByRole("heading", { level: 1 })).toHaveText("Set up two-factor sign-in");
  const secret = (await person.locator(".secret-key").textContent()) ?? "";
  await person.getByLabel("Enter the code the app shows").fill(totpCode(secret, currentStep()));
  const codes = person.waitForResponse((response) => response.request().method() === "POST");
  await person.getByRole("button", { name: "Confirm and sign in" }).click();
  files.push(savePage(dir, "recovery-codes", await (await codes).text()));
  await expect(person.getByRole("heading", { name: "Save your recovery codes" })).toBeVisible();

  // The codes are readable at every width, with Print, Copy and a download.
  for (const width of [1280, 768, 375]) {
    await person.setViewportSize({ width, height: 900 });
    await codesDoNotOverlap(person);
  }
  await expect(person.getByRole("button", { name: "Print" })).toBeVisible();
  await expect(person.getByRole("button", { name: "Copy" })).toBeVisible();
  const download = person.getByRole("link", { name: "Download (.txt)" });
  await expect(download).toHaveAttribute("download", "plasticity-recovery-codes.txt");
  const href = (await download.getAttribute("href")) ?? "";
  const text = decodeURIComponent(href.replace("data:text/plain;charset=utf-8,", ""));
  for (const code of await person.locator(".recovery-codes code").allTextContents()) expect(text).toContain(code.trim());
  for (const scheme of ["light", "dark"] as const) {
    await person.emulateMedia({ colorScheme: scheme });
    expect(await violations(person), `recovery codes (${scheme})`).toEqual([]);
  }
  await person.getByRole("link", { name: "I have saved them: continue" }).click();
  await expect(person.getByRole("heading", { level: 1, name: "Articles" })).toBeVisible();

  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  expect((await again.goto(link))?.status()).toBe(404);
  await expect(again.getByRole("heading", { level: 1 })).toHaveText("This link does not work");
  expect(nuErrors(dir, files)).toBe("");
});
