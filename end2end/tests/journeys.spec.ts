import { expect, test, type Browser } from "@playwright/test";
import { violations } from "./axe";
import { fillNewArticle, passReviewGate, signIn, staff, uniqueSlug } from "./staff";
import { nuErrors, pagesDir, savePage } from "./vnu";

// Staff journeys without traps (issue 30): what cannot be undone asks first, the Staff page
// works on a phone, the preview sits beside the text, a reviewer sees what waits for them, the
// history shows each step and the words that changed, references are added without saving.

async function signedIn(browser: Browser, email: string, options = {}) {
  const page = await (await browser.newContext(options)).newPage();
  await signIn(page, email);
  return page;
}

test("deactivating someone asks first, in words, and Cancel does nothing", async ({ browser }) => {
  const admin = await signedIn(browser, staff.admin.email);
  await admin.goto("/admin/staff");
  const email = `${uniqueSlug("leaving")}@clinic.example`;
  await admin.getByLabel("Name", { exact: true }).fill("Lee Leaving");
  await admin.getByLabel("Email", { exact: true }).fill(email);
  await admin.getByRole("button", { name: "Add and make an invitation link" }).click();
  await expect(admin.locator("#staff-link")).toBeVisible();

  const asked = admin.waitForResponse((response) => response.request().method() === "POST");
  await admin.getByRole("button", { name: "Deactivate Lee Leaving" }).click();
  const dir = pagesDir();
  const files = [savePage(dir, "confirm", await (await asked).text())];
  const dialog = admin.getByRole("alertdialog", { name: "Deactivate Lee Leaving?" });
  await expect(dialog).toContainText("signed out at once");
  for (const scheme of ["light", "dark"] as const) {
    await admin.emulateMedia({ colorScheme: scheme });
    expect(await violations(admin), `confirm step (${scheme})`).toEqual([]);
  }
  await dialog.getByRole("link", { name: "Cancel" }).click();
  const row = admin.locator("tr", { hasText: email });
  await expect(row).toContainText("Active");

  await admin.getByRole("button", { name: "Deactivate Lee Leaving" }).click();
  await admin.getByRole("button", { name: "Yes, deactivate Lee Leaving" }).click();
  await expect(admin.locator(".notice")).toBeVisible();
  await expect(admin.locator("tr", { hasText: email })).toContainText("Deactivated");
  expect(nuErrors(dir, files)).toBe("");
});

test("on a phone, the Staff page shows each account as a card with its buttons in view", async ({ browser }) => {
  const admin = await signedIn(browser, staff.admin.email, { viewport: { width: 375, height: 800 } });
  await admin.goto("/admin/staff");
  const button = admin.getByRole("button", { name: `Password reset link for ${staff.writer.name}` });
  await button.scrollIntoViewIfNeeded();
  const box = (await button.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  const scrolls = await admin.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(scrolls, "nothing off to the side").toBe(false);
  for (const scheme of ["light", "dark"] as const) {
    await admin.emulateMedia({ colorScheme: scheme });
    expect(await violations(admin), `staff page at 375 px (${scheme})`).toEqual([]);
  }
});

test("at 1280 px the preview sits beside the text, with a legend for its marks", async ({ browser }) => {
  const writer = await signedIn(browser, staff.writer.email, { viewport: { width: 1280, height: 900 } });
  await writer.goto("/admin/articles/1");
  const text = (await writer.getByLabel("Body (Markdown)").boundingBox())!;
  const preview = (await writer.locator(".preview").boundingBox())!;
  expect(preview.x, "to the right of the text").toBeGreaterThanOrEqual(text.x + text.width);
  expect(preview.y, "level with the text, not below the checks").toBeLessThan(text.y + text.height);
  await expect(writer.locator(".preview-legend")).toContainText("a hard sentence");
  // The staff header lines up with the page under it.
  const header = (await writer.locator(".site-header__inner").boundingBox())!;
  const main = (await writer.locator("main").boundingBox())!;
  expect(Math.abs(header.x - main.x)).toBeLessThanOrEqual(1);
  expect(Math.abs(header.width - main.width)).toBeLessThanOrEqual(1);
});

test("a reviewer sees what waits for their review; the history shows each step and the words that changed", async ({ browser }) => {
  const slug = uniqueSlug("waiting");
  const writer = await signedIn(browser, staff.writer.email);
  await writer.goto("/admin/articles/new");
  await fillNewArticle(writer, slug, "Waiting for review", "Ketamine can ease low mood within hours.");
  await writer.getByLabel("Note about this change (optional)").fill("First draft from the clinic meeting");
  await writer.getByRole("button", { name: "Save draft" }).click();
  await expect(writer.locator(".notice")).toContainText("Article created");
  await writer.getByLabel("Body (Markdown)").fill("Ketamine can ease low mood within a day.");
  await writer.getByLabel("Note about this change (optional)").fill("");
  await writer.getByRole("button", { name: "Submit for review" }).click();
  await expect(writer.locator(".notice")).toContainText("submitted for clinical review");
  await expect(writer.getByRole("button", { name: "Submit for review" })).toHaveCount(0);
  const editor = writer.url().split("?")[0];

  const reviewer = await signedIn(browser, staff.reviewer2.email);
  const waiting = reviewer.locator("section.waiting");
  await expect(waiting.getByRole("link", { name: "Waiting for review" })).toBeVisible();
  for (const scheme of ["light", "dark"] as const) {
    await reviewer.emulateMedia({ colorScheme: scheme });
    expect(await violations(reviewer), `dashboard with the waiting list (${scheme})`).toEqual([]);
  }

  await writer.goto(`${editor}/history`);
  await expect(writer.locator("tbody")).toContainText("First draft from the clinic meeting");
  await expect(writer.locator(".review-steps")).toContainText("Submitted for review");
  await expect(writer.locator("tbody")).toContainText("Version 2");
  await expect(writer.locator(".diff-removed .diff-word")).toHaveText("hours.");
  await expect(writer.locator(".diff-added .diff-word")).toContainText("day.");
  for (const scheme of ["light", "dark"] as const) {
    await writer.emulateMedia({ colorScheme: scheme });
    expect(await violations(writer), `history with steps and a word diff (${scheme})`).toEqual([]);
  }
  const html = await (await writer.request.get(`${editor}/history`)).text();
  const dir = pagesDir();
  expect(nuErrors(dir, [savePage(dir, "history", html)])).toBe("");
});

test("unpublishing asks first and does nothing until confirmed", async ({ browser }) => {
  const slug = uniqueSlug("unpublish");
  const writer = await signedIn(browser, staff.writer.email);
  await writer.goto("/admin/articles/new");
  await fillNewArticle(writer, slug, "To be unpublished", "A short text that stays plain.");
  await writer.getByRole("button", { name: "Submit for review" }).click();
  await expect(writer.locator(".notice")).toContainText("submitted for clinical review");
  const editor = writer.url().split("?")[0];
  const reviewer = await signedIn(browser, staff.reviewer2.email);
  await reviewer.goto(editor);
  await passReviewGate(reviewer);
  await reviewer.getByRole("button", { name: "Publish" }).click();
  await expect(reviewer.locator(".notice")).toContainText("Approved and published");

  await reviewer.getByRole("button", { name: "Unpublish" }).click();
  const dialog = reviewer.getByRole("alertdialog", { name: "Unpublish \u201cTo be unpublished\u201d?" });
  await expect(dialog).toContainText("Patients can no longer read it");
  for (const scheme of ["light", "dark"] as const) {
    await reviewer.emulateMedia({ colorScheme: scheme });
    expect(await violations(reviewer), `unpublish question (${scheme})`).toEqual([]);
  }
  const patient = await (await browser.newContext()).newPage();
  expect((await patient.goto(`/articles/${slug}`))?.status()).toBe(200);
  await dialog.getByRole("button", { name: "Yes, unpublish it" }).click();
  await expect(reviewer.locator(".notice")).toBeVisible();
  expect((await patient.goto(`/articles/${slug}`))?.status()).toBe(404);
});

test("references are added without saving, with JavaScript off", async ({ browser }) => {
  const writer = await signedIn(browser, staff.writer.email, { javaScriptEnabled: false });
  await writer.goto("/admin/articles/new");
  await fillNewArticle(writer, uniqueSlug("refs"), "References", "Kept while adding references.");
  await writer.getByRole("group", { name: "Add a reference (1)" }).getByLabel("Authors").fill("Duman, R. S.");
  await writer.getByRole("button", { name: "Add another reference" }).click();
  await expect(writer.getByRole("group", { name: "Reference 1" }).getByLabel("Authors")).toHaveValue("Duman, R. S.");
  await expect(writer.getByRole("group", { name: "Add a reference (2)" })).toBeVisible();
  await writer.getByRole("button", { name: "Add another reference" }).click();
  await expect(writer.getByRole("group", { name: "Add a reference (3)" })).toBeVisible();
  await expect(writer.getByRole("group", { name: "Add a reference (4)" })).toHaveCount(0);
  await expect(writer.getByLabel("Body (Markdown)")).toHaveValue("Kept while adding references.");
});
