import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** axe-core's WCAG 2.2 AA and best-practice violations on the page, one line each. */
export async function violations(page: Page) {
  // Judge the page as people see it: with its stylesheet applied (checks that ran before the
  // stylesheet was parsed reported default link colours and unpadded links, now and then). The
  // test is what the stylesheet sets on the root, as computed: reading a sheet's `cssRules`
  // threw in the page once under load (CI, 2026-12-07), which failed the whole journey.
  await page.waitForFunction(
    () => getComputedStyle(document.documentElement).getPropertyValue("--text").trim() !== "",
  );
  const results = await new AxeBuilder({ page }).withTags(tags).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
}
