import { expect, test } from "@playwright/test";
import { violations } from "./axe";
import { seed } from "./seed";
import { signIn, staff } from "./staff";

test("a patient opens a term inside the article with JavaScript off, and reads its definition", async ({ browser }) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(seed.path);
  // The word as written, marked as a term, announced as a link.
  const term = page.locator(".article-body").getByRole("link", { name: "neurons", exact: true }).first();
  await expect(term.locator("dfn")).toHaveText("neurons");
  await term.click();
  await expect(page).toHaveURL("/glossary#neuron");
  const entry = page.locator("#neuron");
  await expect(entry).toBeInViewport();
  await expect(entry).toContainText("A nerve cell.");
  await expect(page.getByRole("navigation", { name: "Glossary letters" })).toBeVisible();
});

test("a reviewer adds a term, articles link it, and a definition with markup stays text", async ({ page, browser }) => {
  await signIn(page, staff.reviewer.email);
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Glossary" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Glossary" })).toBeVisible();
  expect(await violations(page), "admin glossary").toEqual([]);

  const definition = 'Parts of the brain that handle feelings </textarea><script>window.pwned = 1</script> & "memory".';
  await page.getByRole("textbox", { name: "Term", exact: true }).fill("limbic");
  await page.getByLabel("Plain definition").fill(definition);
  await page.getByLabel("Other forms (optional)").fill("limbic system");
  await page.getByRole("button", { name: "Add the term" }).click();
  await expect(page.getByRole("status")).toContainText("Term added");
  await expect(page.getByRole("row", { name: /limbic/ })).toContainText(definition);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

  // The term's own page: its text in the form, its reading grade.
  await page.getByRole("link", { name: "limbic", exact: true }).click();
  await expect(page.getByLabel("Plain definition")).toHaveValue(definition);
  await expect(page.getByText(/Reading grade \d+\.\d/)).toBeVisible();
  expect(await violations(page), "admin glossary term").toEqual([]);

  // A patient's page now links it, and the glossary shows it as text.
  const patient = await (await browser.newContext()).newPage();
  await patient.goto(seed.path);
  await patient.locator(".article-body").getByRole("link", { name: "limbic", exact: true }).click();
  await expect(patient.locator("#limbic")).toContainText(definition);
  expect(await patient.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

  // A search for it (misspelt) answers with its definition first, as text, linked to its entry.
  await patient.goto("/search?q=limbic%20systen");
  const meaning = patient.getByRole("region", { name: "What the words mean" });
  await expect(meaning).toContainText(definition);
  expect(await violations(patient), "search answered with a definition").toEqual([]);
  await meaning.getByRole("link", { name: "limbic" }).click();
  await expect(patient).toHaveURL("/glossary#limbic");
  expect(await patient.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

test("the editor suggests words a patient may not know", async ({ page }) => {
  await signIn(page, staff.writer.email);
  await page.goto("/admin/articles/1");
  const suggestion = page.locator(".unfamiliar-words");
  await expect(suggestion.locator("summary")).toContainText(/Suggestion: \d+ word\(s\) a patient may not know/);
  await suggestion.locator("summary").click();
  await expect(suggestion.getByRole("listitem").filter({ hasText: /^MRI$/ })).toHaveCount(1);
});
