import { expect, test, type Browser } from "@playwright/test";
import { violations } from "./axe";
import { seed } from "./seed";
import { fillNewArticle, passReviewGate, signIn, staff, uniqueSlug } from "./staff";

// Patients find what they need (issue 31): search that forgives, topics, "Read next".

async function patientWithoutScript(browser: Browser) {
  return (await browser.newContext({ javaScriptEnabled: false })).newPage();
}

const pwned = "window.__pwned";

test("a patient misspells a drug name in the header's search box and still finds the article", async ({ browser }) => {
  const page = await patientWithoutScript(browser);
  await page.goto(seed.path);
  const box = page.getByRole("search").first().getByRole("searchbox", { name: "Search the articles" });
  await box.fill("spravado");
  await box.press("Enter");
  await expect(page).toHaveURL("/search?q=spravado");
  const first = page.locator(".search-result").first();
  await expect(first.getByRole("link")).toHaveText(seed.title);
  await expect(page.getByRole("searchbox", { name: "Search the articles" }).last()).toHaveValue("spravado");
  await first.getByRole("link").click();
  await expect(page).toHaveURL(seed.path);
});

test("a search marks the words it matched, and a query can never become markup", async ({ page }) => {
  await page.goto("/search?q=synaptogensis");
  await expect(page.locator(".search-result mark").first()).toHaveText(/synaptogenesis/i);
  for (const query of [
    `<img src=x onerror="${pwned}='img'">`,
    `</title><script>${pwned}='title'</script>`,
    `"><svg onload="${pwned}='attr'">`,
  ]) {
    await page.goto(`/search?q=${encodeURIComponent(query)}`);
    await expect(page.locator(".search-count")).toContainText(`“${query}”`);
    await expect(page.getByRole("searchbox", { name: "Search the articles" }).last()).toHaveValue(query);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  }
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await violations(page), `no results (${scheme})`).toEqual([]);
  }
});

test("a search that reads as a crisis puts crisis help first", async ({ page }) => {
  await page.goto("/search?q=I+want+to+die");
  const help = page.getByRole("complementary", { name: "If you are thinking about suicide, help is here now" });
  await expect(help).toBeVisible();
  await expect(help.getByRole("link", { name: "Call 988" })).toBeVisible();
});

test("a patient browses a topic from the home page and follows Read next", async ({ browser }) => {
  // A second article on the seed's topic, written and published by staff.
  const slug = uniqueSlug("what-a-session-is-like");
  const title = `What a session is like ${slug.slice(-6)}`;
  const writer = await (await browser.newContext()).newPage();
  await signIn(writer, staff.writer.email);
  await writer.goto("/admin/articles/new");
  await fillNewArticle(writer, slug, title, "A session takes about an hour, with a nurse nearby.");
  await writer.getByRole("checkbox", { name: "How ketamine treatment works" }).check();
  await writer.getByRole("button", { name: "Submit for review" }).click();
  await expect(writer.locator(".notice")).toContainText("submitted for clinical review");
  const reviewer = await (await browser.newContext()).newPage();
  await signIn(reviewer, staff.reviewer.email);
  await reviewer.goto(writer.url().split("?")[0]);
  await expect(reviewer.getByRole("checkbox", { name: "How ketamine treatment works" })).toBeChecked();
  await passReviewGate(reviewer);
  await reviewer.getByRole("button", { name: "Publish" }).click();
  await expect(reviewer.locator(".notice")).toContainText("Approved and published");

  const page = await patientWithoutScript(browser);
  await page.goto("/");
  await page
    .getByRole("region", { name: "Browse by topic" })
    .getByRole("link", { name: "How ketamine treatment works" })
    .click();
  await expect(page).toHaveURL("/topics/how-ketamine-treatment-works");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("How ketamine treatment works");
  await page.getByRole("link", { name: seed.title }).click();
  await expect(page.getByRole("navigation", { name: "Topics" })).toContainText("How ketamine treatment works");
  const next = page.getByRole("region", { name: "Read next" });
  await next.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});

test("a writer chooses what to read next; markup typed there stays text; patients follow it", async ({ browser }) => {
  const slug = uniqueSlug("after-a-session");
  const title = `After a session ${slug.slice(-6)}`;
  const writer = await (await browser.newContext()).newPage();
  await signIn(writer, staff.writer.email);
  await writer.goto("/admin/articles/new");
  await fillNewArticle(writer, slug, title, "Rest for the rest of the day, and have someone drive you home.");
  const choices = writer.getByRole("group", { name: "Read next" });
  const typed = `"><img src=x onerror="${pwned}='read-next'">`;
  await choices.getByLabel("Article 1").fill(typed);
  await writer.getByRole("button", { name: "Save draft" }).click();
  await expect(choices.locator(".field-error")).toContainText("is not an article's address");
  await expect(choices.getByLabel("Article 1")).toHaveValue(typed);
  expect(await writer.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  await expect(writer.locator("img[onerror]")).toHaveCount(0);
  expect(await violations(writer), "editor with a refused Read next").toEqual([]);
  // A link pasted whole is read as its address.
  await choices.getByLabel("Article 1").fill(`http://localhost${seed.path}`);
  await writer.getByRole("button", { name: "Submit for review" }).click();
  await expect(writer.locator(".notice")).toContainText("submitted for clinical review");
  await expect(choices.getByLabel("Article 1")).toHaveValue(seed.path.replace("/articles/", ""));

  const reviewer = await (await browser.newContext()).newPage();
  await signIn(reviewer, staff.reviewer.email);
  await reviewer.goto(writer.url().split("?")[0]);
  await passReviewGate(reviewer);
  await reviewer.getByRole("button", { name: "Publish" }).click();
  await expect(reviewer.locator(".notice")).toContainText("Approved and published");

  const page = await patientWithoutScript(browser);
  await page.goto(`/articles/${slug}`);
  const next = page.getByRole("region", { name: "Read next" });
  await expect(next.getByRole("link").first()).toHaveText(seed.title);
  await next.getByRole("link", { name: seed.title }).click();
  await expect(page).toHaveURL(seed.path);
});

test("an admin edits the search synonyms, and markup in them stays text", async ({ page }) => {
  await signIn(page, staff.admin.email);
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Search synonyms" }).click();
  const list = page.getByLabel("Synonym groups");
  await expect(list).toHaveValue(/esketamine, Spravato/);
  expect(await violations(page), "synonyms page").toEqual([]);
  const original = await list.inputValue();
  const added = `${original}\n</textarea><script>${pwned}='synonym'</script>, markup`;
  await list.fill(added);
  await page.getByRole("button", { name: "Save the synonyms" }).click();
  await expect(page.getByRole("status")).toContainText("Synonyms saved");
  await expect(list).toHaveValue(added);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  // A line with one entry is refused, naming it; what was typed stays.
  await list.fill(`${added}\nlonely`);
  await page.getByRole("button", { name: "Save the synonyms" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByText(/Line \d+ \("lonely"\) has one entry/).first()).toBeVisible();
  await expect(list).toHaveValue(`${added}\nlonely`);
  expect(await violations(page), "synonyms page with an error").toEqual([]);
  await list.fill(original);
  await page.getByRole("button", { name: "Save the synonyms" }).click();
  await expect(page.getByRole("status")).toContainText("Synonyms saved");
});
