import { expect, type Page } from "@playwright/test";
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { currentStep, totpCode } from "./totp";

/** Every staff account the test server starts with has this password (see start-server.sh). */
export const staffPassword = "lantern orchard velvet compass";

export const staff = {
  writer: { email: "writer@clinic.example", name: "Kim Writer" },
  reviewer: { email: "reviewer@clinic.example", name: "Dr Ada Rivera", credentials: "MD" },
  reviewer2: { email: "reviewer2@clinic.example", name: "Dr Sam Lee", credentials: "PharmD" },
  admin: { email: "admin@clinic.example", name: "Alex Admin" },
  throttle: { email: "throttle@clinic.example", name: "Tess Throttle" },
};

/**
 * What the suite knows of each account's second factor, shared by the parallel workers through a
 * file (the server's database is fresh each run, and so is this): the secret, the newest time step
 * used (a code works once per step per account), and the unused recovery codes.
 */
type Factor = { secret: string; lastStep: number; recoveryCodes: string[] };
const factorsFile = "../target/e2e/two-factor.json";
const lockDir = "../target/e2e/two-factor.lock";

async function withFactors<T>(work: (factors: Record<string, Factor>) => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (tries > 600) throw new Error("the second-factor lock was never released");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    let factors: Record<string, Factor> = {};
    try {
      factors = JSON.parse(readFileSync(factorsFile, "utf8"));
    } catch {}
    const result = await work(factors);
    writeFileSync(factorsFile, JSON.stringify(factors));
    return result;
  } finally {
    rmdirSync(lockDir);
  }
}

/** The recovery codes a page shows. */
export async function shownRecoveryCodes(page: Page) {
  return (await page.locator(".recovery-codes code").allTextContents()).map((code) => code.trim());
}

/**
 * Signs in through the forms, as a person would (password, then the code from the app; the
 * first sign-in of an account enrols it), and lands on the dashboard. When this account already
 * used the current step, a recovery code stands in; new ones are made when few are left.
 */
export async function signIn(page: Page, email: string, password = staffPassword) {
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/two-factor/);
  const renew = await withFactors(async (factors) => {
    const known = factors[email];
    if (!known) {
      const secret = (await page.locator(".secret-key").textContent()) ?? "";
      const step = currentStep();
      await page.getByLabel("Enter the code the app shows").fill(totpCode(secret, step));
      await page.getByRole("button", { name: "Confirm and sign in" }).click();
      await expect(page.getByRole("heading", { name: "Save your recovery codes" })).toBeVisible();
      factors[email] = { secret, lastStep: step, recoveryCodes: await shownRecoveryCodes(page) };
      await page.getByRole("link", { name: "I have saved them: continue" }).click();
      return false;
    }
    // Another sign-in of this account may have enrolled it after this page was drawn (its
    // password step ran first, outside the lock): the page asks for the code once reloaded.
    if (await page.locator(".secret-key").count()) await page.goto(page.url());
    await giveCode(page, email, known);
    await expect(page.getByRole("heading", { level: 1, name: "Articles" })).toBeVisible();
    if (known.recoveryCodes.length >= 3) return false;
    await page.goto("/admin/account");
    await page.getByRole("button", { name: "Make new recovery codes" }).click();
    known.recoveryCodes = await shownRecoveryCodes(page);
    return true;
  });
  if (renew) await page.goto("/admin");
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
  "/admin/two-factor",
  "/admin/glossary",
  "/admin/glossary/1",
  "/admin/topics",
  "/admin/topics/1",
  "/admin/synonyms",
];

/**
 * What the review gate asks of a reviewer before "Publish": a reason for every open warning
 * and a tick for every reference.
 */
export async function passReviewGate(page: Page, reason = "Checked against the source with the clinical lead.") {
  for (const field of await page.locator('input[name^="ack-"]').all()) await field.fill(reason);
  for (const box of await page.locator('input[name^="checked-ref-"]').all()) await box.check();
}

/**
 * On the second-factor page, for an account already enrolled: a code from the app (or a recovery
 * code when this account used the current step), without going anywhere afterwards.
 */
export async function enterSecondFactor(page: Page, email: string) {
  await withFactors(async (factors) => {
    const known = factors[email];
    if (!known) throw new Error(`${email} has not enrolled yet`);
    await giveCode(page, email, known);
  });
}

/**
 * On the second-factor page: the code of the current step, or a recovery code when this
 * account used that step already (a code works once per step).
 */
async function giveCode(page: Page, email: string, known: Factor) {
  const step = currentStep();
  if (step > known.lastStep) {
    await page.getByLabel("Code from your authenticator app").fill(totpCode(known.secret, step));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    known.lastStep = step;
  } else {
    const code = known.recoveryCodes.pop();
    if (!code) throw new Error(`no recovery code left for ${email}`);
    await page.getByLabel("Recovery code").fill(code);
    await page.getByRole("button", { name: "Sign in with a recovery code" }).click();
  }
}
