import { expect, test, type Page } from "@playwright/test";
import { fillNewArticle, passReviewGate, signIn, staff, uniqueSlug } from "./staff";

// What a writer types reaches other people's screens: the editor of whoever opens the draft, and
// every patient once it is published. Each break-out string below ended its element (textarea,
// title) on the code before this test, and became live HTML. Every one must stay text.
const title = `Sleep </title><script>window.__pwned = "title"</script> & rest`;
const summary =
  `Short </textarea><button formaction="/admin/staff" id="evil-button">Approve</button>` +
  `<meta http-equiv="refresh" content="0;url=https://example.org/"> "><svg onload="window.__pwned='summary'">`;
const body =
  `\nFirst paragraph after a blank line.\n\n</textarea><img src=x onerror="window.__pwned='body'"> ` +
  `</script><script>window.__pwned = "body"</script>`;

async function nothingRan(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  await expect(page.locator("#evil-button")).toHaveCount(0);
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  await expect(page.locator("svg[onload], img[onerror]")).toHaveCount(0);
}

test("text typed into the editor stays text: in every textarea, in the title, for staff and for patients", async ({ browser }) => {
  const slug = uniqueSlug("escaping");
  const writer = await (await browser.newContext()).newPage();
  await signIn(writer, staff.writer.email);
  await writer.goto("/admin/articles/new");
  await fillNewArticle(writer, slug, title, body);
  await writer.getByLabel("Summary").fill(summary);
  await writer.getByRole("button", { name: "Submit for review" }).click();
  await expect(writer.locator(".notice")).toContainText("submitted for clinical review");
  const editorUrl = writer.url().split("?")[0];

  // The reviewer opens the draft: the fields hold exactly what was typed, and nothing ran.
  const reviewer = await (await browser.newContext()).newPage();
  await signIn(reviewer, staff.reviewer.email);
  await reviewer.goto(editorUrl);
  await nothingRan(reviewer);
  await expect(reviewer.getByLabel("Title", { exact: true })).toHaveValue(title);
  await expect(reviewer.getByLabel("Summary")).toHaveValue(summary);
  await expect(reviewer.getByLabel("Body (Markdown)")).toHaveValue(body);

  // The same with JavaScript off (the plain HTML, before any island).
  const noScript = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(noScript, staff.reviewer2.email);
  await noScript.goto(editorUrl);
  await expect(noScript.getByLabel("Summary")).toHaveValue(summary);
  await expect(noScript.getByLabel("Body (Markdown)")).toHaveValue(body);
  await expect(noScript.locator("#evil-button")).toHaveCount(0);

  await passReviewGate(reviewer);
  await reviewer.getByRole("button", { name: "Publish" }).click();
  await expect(reviewer.locator(".notice")).toContainText("Approved and published");

  // Patients: rendered afresh, then from the page cache; the title is text, no script ran, and
  // the page's policy would refuse a script the app did not write.
  const patient = await (await browser.newContext()).newPage();
  const refused: string[] = [];
  patient.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) refused.push(message.text());
  });
  for (let visit = 0; visit < 2; visit++) {
    const response = await patient.goto(`/articles/${slug}`);
    expect(response?.status()).toBe(200);
    await nothingRan(patient);
    expect(await patient.title()).toBe(`${title} | Plasticity`);
    await expect(patient.getByRole("heading", { level: 1 })).toHaveText(title);
    const policy = response?.headers()["content-security-policy"] ?? "";
    expect(policy).not.toContain("unsafe-inline");
  }
  await patient.goto("/");
  await nothingRan(patient);
  await expect(patient.getByRole("link", { name: title })).toBeVisible();
});
