import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { violations } from "./axe";
import { enterSecondFactor, fillNewArticle, signIn, staff, staffPassword, uniqueSlug } from "./staff";
import { nuErrors, pagesDir, savePage } from "./vnu";

// A session that ends while a writer is typing loses nothing: the save answers the sign-in page
// holding the form, both factors are given there, and one press sends every character.

/** Ends every session of `email` in the browser tests' database, as 31 idle minutes would. */
function endSessions(email: string) {
  execFileSync("sqlite3", [
    "-cmd",
    ".timeout 5000",
    "../target/e2e/plasticity.db",
    `UPDATE sessions SET last_seen_at = last_seen_at - 31 * 60 WHERE staff_id = (SELECT id FROM staff WHERE email = '${email}')`,
  ]);
}

/** The page as the browser has it (JavaScript off: as the server sent it), for the Nu checker. */
async function pageHtml(page: Page) {
  return page.content();
}

const body =
  'Kept "exactly" \u2014 it\'s <b>not</b> markup & </textarea><script>alert(1)</script>\n\n\u00dcn\u00efc\u00f8d\u00e9 \u{1f9e0} in a second paragraph.';

for (const javaScript of [true, false]) {
  test(`a session that ends mid-edit keeps every character (JavaScript ${javaScript ? "on" : "off"})`, async ({ browser }) => {
    const email = javaScript ? "held-js@clinic.example" : "held-nojs@clinic.example";
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, email);
    await page.goto("/admin/articles/new");
    await fillNewArticle(page, uniqueSlug("held"), "Held through sign-in", "First text.");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.locator(".notice")).toContainText("Article created");

    await page.getByLabel("Title", { exact: true }).fill("Held through sign-in, edited");
    await page.getByLabel("Body (Markdown)").fill(body);
    endSessions(email);
    const dir = pagesDir();
    const files: string[] = [];

    const editor = new URL(page.url()).pathname;
    const answer = page.waitForResponse(
      (response) => response.request().method() === "POST" && new URL(response.url()).pathname === editor,
    );
    await page.getByRole("button", { name: "Save draft" }).click();
    expect((await answer).status()).toBe(401);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in again to send your changes");
    await expect(page.locator(".notice--held")).toContainText("nothing was saved yet");
    // axe needs JavaScript in the page: the run with it on checks these pages.
    if (javaScript) expect(await violations(page)).toEqual([]);
    else files.push(savePage(dir, "held", await pageHtml(page)));

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(staffPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your sign-in code");
    await expect(page.locator(".notice--held")).toBeVisible();
    if (!javaScript) files.push(savePage(dir, "second-factor", await pageHtml(page)));

    await enterSecondFactor(page, email);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are signed in again");
    if (javaScript) expect(await violations(page)).toEqual([]);
    else files.push(savePage(dir, "send-again", await pageHtml(page)));

    await page.getByRole("button", { name: "Send your changes" }).click();
    await expect(page.locator(".notice")).toContainText("Draft saved.");
    await expect(page.getByLabel("Body (Markdown)")).toHaveValue(body);
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue("Held through sign-in, edited");
    expect(dialogs, "nothing the writer typed ran as script").toEqual([]);
    if (files.length) expect(nuErrors(dir, files)).toBe("");
  });
}

test("the editor warns before the idle limit; typing and \u201cStay signed in\u201d keep the session", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, staff.writer.email);
  await page.clock.install();
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith("/api/admin/keep-session")),
    page.goto("/admin/articles/1"),
  ]);
  await expect(page.locator(".preview[data-live=true]")).toHaveCount(1);
  await expect(page.locator(".session-warning")).toHaveCount(0);

  await page.clock.fastForward("26:00");
  const warning = page.locator(".session-warning");
  await expect(warning).toContainText(/You will be signed out in [34] minutes/);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await violations(page), scheme).toEqual([]);
  }
  let kept = page.waitForResponse((response) => response.url().endsWith("/api/admin/keep-session"));
  await warning.getByRole("button", { name: "Stay signed in" }).click();
  expect((await kept).status()).toBe(200);
  await expect(warning).toHaveCount(0);

  // Typing in any field keeps the session alive too (a request at most once a minute).
  await page.clock.fastForward("02:00");
  kept = page.waitForResponse((response) => response.url().endsWith("/api/admin/keep-session"));
  await page.getByLabel("Note about this change (optional)").pressSequentially("x");
  expect((await kept).status()).toBe(200);

  // Once the server has ended it, the warning says so and what to do.
  await page.clock.fastForward("31:00");
  await expect(warning).toContainText("Your session has ended. What you typed is still here");
  await expect(warning.getByRole("button")).toHaveCount(0);
});

test("the checks follow the references as well as the body", async ({ page }) => {
  await signIn(page, staff.writer.email);
  await page.goto("/admin/articles/new");
  await expect(page.locator(".preview[data-live=true]")).toHaveCount(1);
  await page.getByLabel("Body (Markdown)").fill("Ketamine helps some people (Duman et al., 2012).");
  await expect(page.locator("#checks")).toContainText("matches no reference");
  const added = page.locator("fieldset.reference-fields").last();
  await added.getByLabel("Authors").fill("Duman, R. S., Li, N., Liu, R.-J., Duric, V., & Aghajanian, G.");
  await added.getByLabel("Year").fill("2012");
  await expect(page.locator("#checks")).not.toContainText("matches no reference");
});
