import { expect, test, type Browser } from "@playwright/test";
import { violations } from "./axe";
import { fillNewArticle, passReviewGate, signIn, staff, uniqueSlug } from "./staff";

async function newPage(browser: Browser, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  return context.newPage();
}

/** A writer submits an article that promises a cure (a warning a reviewer must answer). */
async function submitCureClaim(browser: Browser, prefix: string) {
  const slug = uniqueSlug(prefix);
  const writer = await newPage(browser);
  await signIn(writer, staff.writer.email);
  await writer.goto("/admin/articles/new");
  await fillNewArticle(writer, slug, "What ketamine can do", "Ketamine cures depression for good. Many feel better in a day.");
  await writer.getByRole("button", { name: "Submit for review" }).click();
  await expect(writer.locator(".notice")).toContainText("submitted for clinical review");
  return { slug, writer, editorUrl: writer.url().split("?")[0] };
}

test("a writer opening the seed sees the checks panel with its findings", async ({ page }) => {
  await signIn(page, staff.writer.email);
  await page.goto("/admin/articles/1");
  const panel = page.locator("section#checks");
  await expect(panel.locator(".checks-summary")).toContainText(/^2 errors, \d+ warnings?, grade \d+\.\d \(target 8\)$/);
  await expect(panel).toContainText("\u201cColo et al., 2019\u201d matches no reference: did you mean Collo et al. (2019)?");
  await expect(panel).toContainText(
    "\u201cDuman et al., 2021\u201d matches no reference: the reference list has Duman et al. (2012).",
  );
  // Each finding says why it matters and what to do, with the sentence it is about.
  const colo = panel.locator(".finding--error", { hasText: "Colo et al." });
  await expect(colo.locator("blockquote")).toContainText("treatment-resistant depression subjects (Colo et al., 2019)");
  await expect(colo).toContainText("Why it matters:");
  await expect(colo).toContainText("What to do:");
  // The preview shows the crisis block where patients will see it, and marks hard sentences.
  await expect(page.locator(".preview .crisis-help")).toBeVisible();
  await expect(page.locator(".preview mark.hard-sentence").first()).toBeVisible();
});

test("the live preview updates the grade and findings as the writer types", async ({ page }) => {
  await signIn(page, staff.writer.email);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith(".wasm")), page.goto("/admin/articles/new")]);
  await expect(page.locator(".preview[data-live=true]")).toHaveCount(1);
  const summary = page.locator("#checks .checks-summary");
  const body = page.getByLabel("Body (Markdown)");
  await body.pressSequentially("We sit. You rest. It helps.", { delay: 10 });
  await expect(summary).toContainText(/^0 errors, 0 warnings, grade -?\d+\.\d/);
  const easy = await summary.textContent();
  await body.pressSequentially(
    " Pharmacological interventions targeting glutamatergic neurotransmission demonstrate considerable therapeutic potential (Smith et al., 2020).",
    { delay: 5 },
  );
  await expect(summary).toContainText(/^1 error, 1 warning, grade \d+\.\d \(target 8\)$/);
  expect(await summary.textContent()).not.toEqual(easy);
  await expect(page.locator("#checks")).toContainText("\u201cSmith et al., 2020\u201d matches no reference.");
  await expect(page.locator(".preview mark.hard-sentence")).toContainText("Pharmacological interventions");
});

test("with JavaScript off, Preview shows the same panel for the typed text", async ({ browser }) => {
  const page = await newPage(browser, false);
  await signIn(page, staff.writer.email);
  await page.goto("/admin/articles/new");
  await fillNewArticle(page, uniqueSlug("no-js-checks"), "Safe wording", "Her brother committed suicide last spring.");
  await page.getByRole("button", { name: "Preview" }).click();
  const panel = page.locator("section#checks");
  await expect(panel.locator(".checks-summary")).toContainText(/^0 errors, \d+ warnings?/);
  await expect(panel).toContainText("\u201cCommitted suicide\u201d: \u201ccommitted suicide\u201d.");
  await expect(panel).toContainText("died by suicide");
  await expect(page.locator(".preview .crisis-help")).toBeVisible();
  await expect(page.getByLabel("Body (Markdown)")).toHaveValue("Her brother committed suicide last spring.");
});

test("a reviewer is refused, acknowledges, publishes, and the patient page shows the review", async ({ browser }) => {
  const { slug, writer, editorUrl } = await submitCureClaim(browser, "ketamine-claims");

  // (The dark scheme's axe check of this page is a test of its own, below: both in one journey
  // ran past the test's time limit once under CI's load.)
  {
    const reviewer = await newPage(browser);
    await signIn(reviewer, staff.reviewer.email);
    await reviewer.goto(editorUrl);
    await expect(reviewer.locator("#review")).toBeVisible();
    expect(await violations(reviewer), "reviewer's editor (light)").toEqual([]);

    // Publishing with the warning open is refused, and says what is open.
    await reviewer.getByRole("button", { name: "Publish" }).click();
    const alert = reviewer.getByRole("alert");
    await expect(alert).toContainText("Nothing was published.");
    await expect(alert).toContainText("Fix this warning, or give your reason to publish with it: A promise of cure or certainty");
    // Each open item links to its field, which says what it needs.
    const link = alert.getByRole("link", { name: /A promise of cure or certainty/ });
    const field = (await link.getAttribute("href"))!.slice(1);
    await link.click();
    await expect(reviewer.locator(`[id="${field}"]`)).toBeInViewport();
    await expect(reviewer.locator(`[id="${field}-error"]`)).toContainText("give your reason");
    expect(await violations(reviewer), "refused publish").toEqual([]);
    expect((await (await newPage(browser)).goto(`/articles/${slug}`))?.status()).toBe(404);

    await passReviewGate(reviewer, "Reviewed: the claim is quoted from the trial and qualified below.");
    await reviewer.getByLabel("Review again in").selectOption("6");
    await reviewer.getByRole("button", { name: "Publish" }).click();
    await expect(reviewer.locator(".notice")).toContainText("Approved and published");
  }

  const patient = await newPage(browser);
  await patient.goto(`/articles/${slug}`);
  await expect(patient.locator(".clinical-review")).toContainText(`Clinically reviewed by ${staff.reviewer.name}, MD on`);
  await expect(patient.locator(".review-dates")).toContainText(/Page last reviewed:\s*\d{1,2} \w+ \d{4}/);
  await expect(patient.locator(".review-dates")).toContainText(/Next review due:\s*\d{1,2} \w+ \d{4}/);
  await expect(patient.getByText("has not yet been clinically reviewed")).toHaveCount(0);

  // The acknowledgement is in the history.
  await writer.goto(`${editorUrl}/history`);
  await expect(writer.locator("section", { hasText: "Clinical review record" })).toContainText(
    "Reviewed: the claim is quoted from the trial and qualified below.",
  );
});

test("a reviewer's editor with findings and the review panel is axe-clean in the dark scheme", async ({ browser }) => {
  const { editorUrl } = await submitCureClaim(browser, "ketamine-dark");
  const reviewer = await (await browser.newContext({ colorScheme: "dark" })).newPage();
  await signIn(reviewer, staff.reviewer.email);
  await reviewer.goto(editorUrl);
  await expect(reviewer.locator("#review")).toBeVisible();
  await expect(reviewer.locator("#review")).toContainText("A promise of cure or certainty");
  expect(await violations(reviewer), "reviewer's editor (dark)").toEqual([]);
});
