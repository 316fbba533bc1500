import { expect, type Page } from "@playwright/test";

/** Every staff account the test server starts with has this password (see start-server.sh). */
export const staffPassword = "lantern orchard velvet compass";

export const staff = {
  writer: { email: "writer@clinic.example", name: "Kim Writer" },
  reviewer: { email: "reviewer@clinic.example", name: "Dr Ada Rivera", credentials: "MD" },
  reviewer2: { email: "reviewer2@clinic.example", name: "Dr Sam Lee", credentials: "PharmD" },
  admin: { email: "admin@clinic.example", name: "Alex Admin" },
  throttle: { email: "throttle@clinic.example", name: "Tess Throttle" },
};

/** Signs in through the form, as a person would, and lands on the dashboard. */
export async function signIn(page: Page, email: string, password = staffPassword) {
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Articles" })).toBeVisible();
}

/** Fills the editor's required fields for a new article. */
export async function fillNewArticle(page: Page, slug: string, title: string, body: string) {
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Summary").fill(`A short summary of ${title}.`);
  await page.getByLabel("Body (Markdown)").fill(body);
}

/** Unique per run, so parallel tests never share an article. */
export function uniqueSlug(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Every staff page an admin can open (the seed article is article 1). */
export const staffPages = [
  "/admin",
  "/admin/articles/new",
  "/admin/articles/1",
  "/admin/articles/1/history",
  "/admin/staff",
  "/admin/audit",
  "/admin/account",
];

/**
 * What the review gate asks of a reviewer before "Publish": a reason for every open warning
 * and a tick for every reference.
 */
export async function passReviewGate(page: Page, reason = "Checked against the source with the clinical lead.") {
  for (const field of await page.locator('input[name^="ack-"]').all()) await field.fill(reason);
  for (const box of await page.locator('input[name^="checked-ref-"]').all()) await box.check();
}
