import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** axe-core's WCAG 2.2 AA and best-practice violations on the page, one line each. */
export async function violations(page: Page) {
  // Judge the page as people see it: with its stylesheet applied (checks that ran before the
  // stylesheet was parsed reported default link colours and unpadded links, now and then). The
  // test is what the stylesheet sets on the root, as computed: reading a sheet's `cssRules`
  // threw in the page once under load (CI, 2026-12-07), which failed the whole journey.
  await styled(page);
  const results = await new AxeBuilder({ page }).withTags(tags).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
}

/**
 * Waits until the page's stylesheet applies, checking every 100 ms. Once in CI (2026-12-08,
 * /search?q=ketamine in dark mode) a page rendered whole but the wait, which checked on each
 * animation frame, ran out its 60 s; timers do not depend on frames being drawn. Should it
 * happen again, the failure says which stylesheets the page had and whether each had loaded.
 */
async function styled(page: Page) {
  const applied = () => getComputedStyle(document.documentElement).getPropertyValue("--text").trim() !== "";
  try {
    await page.waitForFunction(applied, undefined, { polling: 100, timeout: 30_000 });
  } catch (error) {
    const sheets = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map(
        (link) => `${link.href} (loaded: ${link.sheet !== null})`,
      ),
    );
    throw new Error(`${page.url()}: the stylesheet did not apply within 30 s; stylesheets: ${sheets.join(", ") || "none"}`, {
      cause: error,
    });
  }
}
