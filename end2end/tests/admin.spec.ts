import { expect, test, type Browser } from "@playwright/test";
import { fillNewArticle, passReviewGate, signIn, staff, staffPassword, uniqueSlug } from "./staff";

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

test("a writer writes and submits, a reviewer publishes, a patient reads the new text", async ({ browser }) => {
  const slug = uniqueSlug("ketamine-and-sleep");
  const writer = await newPage(browser);
  await signIn(writer, staff.writer.email);
  await writer.getByRole("link", { name: "New article" }).first().click();
  await fillNewArticle(writer, slug, "Ketamine and sleep", "Many people sleep better during treatment.");
  await writer.getByRole("button", { name: "Submit for review" }).click();
  await expect(writer.locator(".notice")).toContainText("submitted for clinical review");
  await expect(writer.locator(".status-panel")).toContainText("In review");
  const editorUrl = writer.url().split("?")[0];

  // Not live yet.
  const patient = await newPage(browser);
  expect((await patient.goto(`/articles/${slug}`))?.status()).toBe(404);

  // The writer cannot publish: there is no button for it.
  await expect(writer.getByRole("button", { name: "Publish" })).toHaveCount(0);

  const reviewer = await newPage(browser);
  await signIn(reviewer, staff.reviewer.email);
  await reviewer.goto(editorUrl);
  await passReviewGate(reviewer);
  await reviewer.getByRole("button", { name: "Publish" }).click();
  await expect(reviewer.locator(".notice")).toContainText("Approved and published");

  const response = await patient.goto(`/articles/${slug}`);
  expect(response?.status()).toBe(200);
  await expect(patient.getByRole("heading", { level: 1 })).toHaveText("Ketamine and sleep");
  await expect(patient.locator(".article-body")).toContainText("Many people sleep better during treatment.");
  await expect(patient.locator(".clinical-review")).toContainText(`Clinically reviewed by ${staff.reviewer.name}, MD on`);
  await patient.goto("/");
  await expect(patient.getByRole("link", { name: "Ketamine and sleep" })).toBeVisible();
});

test("a wrong password is refused with a message that does not say which part was wrong", async ({ page }) => {
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(staff.writer.email);
  await page.getByLabel("Password").fill("not my password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That email and password do not match an active account.");
  await expect(page.getByLabel("Email")).toHaveValue(staff.writer.email);
  await expect(page.getByLabel("Password")).toHaveValue("");
});

test("repeated wrong passwords reach the throttle, which says when to retry", async ({ page }) => {
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.goto("/admin/login");
    await page.getByLabel("Email").fill(staff.throttle.email);
    await page.getByLabel("Password").fill(`wrong guess number ${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("do not match");
  }
  await page.getByLabel("Password").fill(staffPassword);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/admin/login") && r.request().method() === "POST"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  expect(response.status()).toBe(429);
  await expect(page.getByRole("alert")).toContainText("Too many sign-in attempts. Try again in 15 minutes.");
});

test("two tabs edit one article: the second save gets the conflict view with both texts", async ({ browser }) => {
  const slug = uniqueSlug("conflict");
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, staff.writer.email);
  await first.goto("/admin/articles/new");
  await fillNewArticle(first, slug, "Two tabs", "The starting text.");
  await first.getByRole("button", { name: "Save draft" }).click();
  await expect(first.locator(".notice")).toContainText("Article created");
  const url = first.url().split("?")[0];

  const second = await context.newPage();
  await second.goto(url);
  await first.getByLabel("Body (Markdown)").fill("Text saved from the first tab.");
  await first.getByRole("button", { name: "Save draft" }).click();
  await expect(first.locator(".notice")).toContainText("Draft saved.");

  await second.getByLabel("Body (Markdown)").fill("Text typed in the second tab.");
  await second.getByRole("button", { name: "Save draft" }).click();
  await expect(second.getByRole("alert")).toContainText("Someone else saved this article after you opened it");
  await expect(second.getByLabel("Body (Markdown)")).toHaveValue("Text typed in the second tab.");
  await expect(second.locator(".current-version")).toContainText("Text saved from the first tab.");

  // Resolving: saving again from the conflict view keeps the second tab's text, knowingly.
  await second.getByRole("button", { name: "Save draft" }).click();
  await expect(second.locator(".notice")).toContainText("Draft saved.");
  await expect(second.getByLabel("Body (Markdown)")).toHaveValue("Text typed in the second tab.");
});

test("an old revision is restored as a new one from the history", async ({ page }) => {
  const slug = uniqueSlug("restore");
  await signIn(page, staff.writer.email);
  await page.goto("/admin/articles/new");
  await fillNewArticle(page, slug, "Restoring", "First version of the text.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.locator(".notice")).toContainText("Article created");
  await page.getByLabel("Body (Markdown)").fill("Second version of the text.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.locator(".notice")).toContainText("Draft saved.");

  await page.getByRole("link", { name: "History" }).click();
  await expect(page.locator(".diff")).toContainText("Second version of the text.");
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await rows.nth(1).getByRole("button", { name: "Restore version 1" }).click();
  await expect(page.locator(".notice")).toContainText("The old revision was restored");
  await expect(page.locator("tbody tr")).toHaveCount(3);
  await expect(page.locator("tbody tr").first()).toContainText("Restored version 1");
  await page.getByRole("link", { name: "Back to the editor" }).click();
  await expect(page.getByLabel("Body (Markdown)")).toHaveValue("First version of the text.");
});

test("after signing out, the old session cookie no longer works", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, staff.reviewer2.email);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "plasticity_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Strict");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.locator(".notice")).toContainText("You have signed out.");

  // Replay the old cookie in a fresh browser: the server has forgotten the session.
  const replay = await browser.newContext();
  await replay.addCookies([session!]);
  const again = await replay.newPage();
  await again.goto("/admin");
  await expect(again).toHaveURL(/\/admin\/login\?next=\/admin$/);
  await expect(again.getByRole("heading", { name: "Staff sign-in" })).toBeVisible();
});

test("the editor works with JavaScript off", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, staff.writer.email);
  await page.goto("/admin/articles/new");
  const slug = uniqueSlug("no-js");
  await fillNewArticle(page, slug, "", "Typed without JavaScript, and kept.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter a title.");
  await expect(page.getByLabel("Body (Markdown)")).toHaveValue("Typed without JavaScript, and kept.");
  await page.getByLabel("Title", { exact: true }).fill("No JavaScript");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator(".preview .article-body")).toContainText("Typed without JavaScript, and kept.");
  await expect(page.locator("#body-length")).toHaveText("5 words · about 1 minute to read");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.locator(".notice")).toContainText("Article created");
});

test("the live preview follows the typing, rendered like the public page", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await signIn(page, staff.writer.email);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(".wasm")),
    page.goto("/admin/articles/new"),
  ]);
  await expect(page.locator("leptos-island")).toHaveCount(1);
  await expect(page.locator(".preview[data-live=true]")).toHaveCount(1);
  await page.getByLabel("Body (Markdown)").pressSequentially("## Sleep\n\nRest *matters*.", { delay: 20 });
  await expect(page.locator(".preview .article-body h3")).toHaveText("Sleep");
  await expect(page.locator(".preview .article-body em")).toHaveText("matters");
  // The length follows the typing too.
  await expect(page.locator("#body-length")).toHaveText("3 words · about 1 minute to read");
  await page.getByLabel("Body (Markdown)").fill("word ".repeat(401));
  await expect(page.locator("#body-length")).toHaveText("401 words · about 3 minutes to read");
  expect(errors).toEqual([]);
});

test("leaving the editor with typing not yet saved asks first; saving does not", async ({ browser }) => {
  const editor = async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, staff.writer.email);
    await page.goto("/admin/articles/new");
    await expect(page.locator(".preview[data-live=true]")).toHaveCount(1);
    return page;
  };
  // Typed, then the tab is closed: the browser asks first.
  const page = await editor();
  await page.getByLabel("Body (Markdown)").pressSequentially("Half a thought", { delay: 10 });
  const asked = page.waitForEvent("dialog");
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe("beforeunload");
  await dialog.accept();

  // Typed, then saved: the save leaves the page without a question (one would stop it here).
  const saving = await editor();
  saving.on("dialog", (question) => {
    throw new Error(`asked on save: ${question.type()}`);
  });
  await fillNewArticle(saving, uniqueSlug("saved-then-left"), "Saved then left", "All of it, saved.");
  await saving.getByRole("button", { name: "Save draft" }).click();
  await expect(saving.locator(".notice")).toContainText("Article created");
});
