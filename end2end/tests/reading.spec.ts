import { expect, test } from "@playwright/test";
import { seed } from "./seed";

test.describe("a patient reads the seed article", () => {
  test("the home page lists it with summary, reading time and review state", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveTitle("Plasticity");
    const card = page.locator(".article-card", { hasText: seed.title });
    await expect(card.getByRole("link", { name: seed.title })).toHaveAttribute("href", seed.path);
    await expect(card).toContainText("The term plasticity, when referring to the brain");
    await expect(card).toContainText(/\d+ min read/);
    // No clinician has approved the seed yet, and the list says so rather than show a date.
    await expect(card).toContainText("Not yet clinically reviewed");
    await card.getByRole("link", { name: seed.title }).click();
    await expect(page).toHaveURL(seed.path);
  });

  test("the article opens with its key points, before the body", async ({ page }) => {
    await page.goto(seed.path);
    const points = page.getByRole("region", { name: "Key points" });
    await expect(points).toContainText("The term plasticity, when referring to the brain");
    // Above the article's own text: the main message before any scrolling.
    const order = await page.evaluate(() => {
      const points = document.querySelector(".key-points")!;
      const body = document.querySelector(".article-body")!;
      return points.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
  });

  test("feed readers and crawlers find the feed and the sitemap", async ({ page, request, baseURL }) => {
    await page.goto("/");
    const feedHref = await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute("href");
    const feed = await request.get(feedHref!);
    expect(feed.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
    expect(await feed.text()).toContain(`<link rel="alternate" type="text/html" href="${baseURL}${seed.path}"/>`);
    const robots = await (await request.get("/robots.txt")).text();
    const sitemapUrl = robots.match(/^Sitemap: (.+)$/m)![1];
    expect(sitemapUrl).toBe(`${baseURL}/sitemap.xml`);
    expect(await (await request.get(sitemapUrl)).text()).toContain(`<loc>${baseURL}${seed.path}</loc>`);
  });

  test("the article text is the clinic's, word for word", async ({ page }) => {
    await page.goto(seed.path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(seed.title);
    await expect(page.locator(".byline")).toHaveText(seed.byline);
    const paragraphs = await page.locator(".article-body p").allTextContents();
    expect(paragraphs).toEqual(seed.paragraphs);
  });

  test("references are structured, with the DOI as a link", async ({ page }) => {
    await page.goto(seed.path);
    const references = page.getByRole("region", { name: "References" });
    await expect(references.locator("li")).toHaveCount(2);
    await expect(references.locator("li").nth(0)).toContainText("Collo, G., Cavalleri, L., & Pich, E. M. (2019).");
    await expect(references.locator("li").nth(0).locator("cite")).toHaveText("Chronic Stress");
    await expect(references.locator("li").nth(1)).toContainText("Neuropharmacology, 62(1), 35–41.");
    const doi = references.getByRole("link", { name: seed.doiUrl });
    await expect(doi).toHaveAttribute("href", seed.doiUrl);
  });

  test("matched citations link to their reference; unmatched ones stay plain text", async ({ page }) => {
    await page.goto(seed.path);
    const citations = page.locator(".article-body a.citation");
    await expect(citations).toHaveText(["Duman et al., 2012", "Duman et al., 2012"]);
    await expect(citations.first()).toHaveAttribute("href", "#ref-2");
    const body = page.locator(".article-body");
    await expect(body).toContainText("(Duman et al., 2021)");
    await expect(body).toContainText("(Colo et al., 2019)");
    await expect(body.getByRole("link", { name: "Duman et al., 2021" })).toHaveCount(0);
    await expect(body.getByRole("link", { name: "Colo et al., 2019" })).toHaveCount(0);
  });

  test("crisis help is near the top and the help link is in the header", async ({ page }) => {
    await page.goto(seed.path);
    const block = page.getByRole("complementary", { name: /thinking about suicide/ });
    await expect(block).toBeVisible();
    await expect(block.getByRole("link", { name: "Call 988" })).toHaveAttribute("href", "tel:988");
    await expect(block.getByRole("link", { name: "Text 988" })).toHaveAttribute("href", "sms:988");
    await expect(block.getByRole("link", { name: /911/ })).toHaveAttribute("href", "tel:911");
    // The block comes before the article's first paragraph.
    const blockTop = (await block.boundingBox())!.y;
    const bodyTop = (await page.locator(".article-body").boundingBox())!.y;
    expect(blockTop).toBeLessThan(bodyTop);

    const help = page.getByRole("banner").getByRole("link", { name: "Need help now?" });
    await expect(help).toBeVisible();
    await help.click();
    await expect(page).toHaveURL("/help-now");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Get help now");
    await expect(page.getByRole("link", { name: "Call 988" })).toHaveAttribute("href", "tel:988");
    await expect(page.getByRole("link", { name: "Text 988" })).toHaveAttribute("href", "sms:988");
    await expect(page.getByRole("link", { name: /Chat/ })).toBeVisible();
    await expect(page.getByRole("link", { name: "Call 911" })).toHaveAttribute("href", "tel:911");
  });

  test("every page has the help link", async ({ page }) => {
    for (const path of ["/", seed.path, "/help-now", "/no-such-page"]) {
      await page.goto(path);
      await expect(page.getByRole("link", { name: "Need help now?" })).toBeVisible();
    }
  });

  test("the article carries its disclaimer and its honest review state", async ({ page }) => {
    await page.goto(seed.path);
    await expect(page.getByRole("complementary", { name: "Medical disclaimer" })).toContainText(
      "does not replace",
    );
    const dates = page.locator(".review-dates");
    await expect(dates).toHaveText("This page has not yet been clinically reviewed.");
    await expect(page.getByText("Page last reviewed")).toHaveCount(0);
  });
});

test.describe("printing", () => {
  test("prints the article with its references and dates, without navigation", async ({ page }) => {
    await page.goto(seed.path);
    await expect(page.locator(".site-header")).toBeVisible();
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header")).toBeHidden();
    await expect(page.locator(".site-footer")).toBeHidden();
    await expect(page.locator(".skip-link")).toBeHidden();
    await expect(page.locator(".print-button")).toBeHidden();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.locator(".article-body p").first()).toBeVisible();
    await expect(page.locator(".references")).toBeVisible();
    await expect(page.locator(".review-dates")).toBeVisible();
    await expect(page.locator(".crisis-help")).toBeVisible();
  });
});

test.describe("metadata", () => {
  test("the article sets title, description, canonical, OpenGraph and JSON-LD", async ({ page }) => {
    await page.goto(seed.path);
    await expect(page).toHaveTitle(`${seed.title} | Plasticity`);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute(
      "content",
      /^The term plasticity/,
    );
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", new RegExp(`${seed.path}$`));
    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", seed.title);
    await expect(page.locator('meta[property="og:type"]')).toHaveAttribute("content", "article");
    await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", new RegExp(`${seed.path}$`));
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
    expect(jsonLd["@type"]).toBe("MedicalWebPage");
    // Not reviewed by a clinician yet: no review is claimed.
    expect(jsonLd.lastReviewed).toBeUndefined();
    expect(jsonLd.reviewedBy).toBeUndefined();
    expect(jsonLd.author.name).toBe("Kristen R. Dagenais");
    expect(jsonLd.citation).toHaveLength(2);
    expect(jsonLd.citation[1].sameAs).toBe(seed.doiUrl);
  });

  test("each public page has its own title, description and canonical URL", async ({ page }) => {
    for (const [path, title] of [["/", "Plasticity"], ["/help-now", "Get help now | Plasticity"]]) {
      await page.goto(path);
      await expect(page).toHaveTitle(title);
      await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /\w/);
      await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", new RegExp(`${path}$`));
      await expect(page.locator('meta[property="og:title"]')).toHaveCount(1);
    }
  });
});

test.describe("errors", () => {
  test("an unknown URL answers 404 with a helpful page", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response!.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("We could not find that page");
    await expect(page.getByRole("main").getByRole("link", { name: "See all articles" })).toBeVisible();
    await page.getByRole("main").getByRole("link", { name: "Look up a medical word" }).click();
    await expect(page).toHaveURL("/glossary");
  });

  test("an unknown article answers 404 too", async ({ page }) => {
    const response = await page.goto("/articles/no-such-article");
    expect(response!.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("We could not find that page");
  });
});
