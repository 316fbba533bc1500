import { expect, test, type Page } from "@playwright/test";
import { violations } from "./axe";
import { shownRecoveryCodes, signIn, staffPassword } from "./staff";
import { currentStep, totpCode } from "./totp";

/** The password step; the second-factor page follows. */
async function password(page: Page, email: string) {
  await page.goto("/admin/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(staffPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/two-factor/);
}

/** Enrols with a code computed from the key the page shows; returns the key, the code used and the recovery codes. */
async function enrol(page: Page) {
  const secret = (await page.locator(".secret-key").textContent()) ?? "";
  const code = totpCode(secret, currentStep());
  // Typed as an app shows it, with a space: spaces are ignored.
  await page.getByLabel("Enter the code the app shows").fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await expect(page.getByRole("heading", { name: "Save your recovery codes" })).toBeVisible();
  const codes = await shownRecoveryCodes(page);
  expect(codes).toHaveLength(10);
  return { secret, code, codes };
}

test("with JavaScript off, a new account enrols, a replayed code is refused, and a recovery code works once", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const email = "enrol@clinic.example";
  await password(page, email);
  // Nothing else opens before the second factor.
  await page.goto("/admin/account");
  await expect(page).toHaveURL(/\/admin\/two-factor\?next=\/admin\/account$/);
  await expect(page.getByRole("heading", { name: "Set up two-factor sign-in" })).toBeVisible();
  await expect(page.locator("svg.qr-code path")).toHaveCount(1);
  const field = page.getByLabel("Enter the code the app shows");
  await expect(field).toHaveAttribute("autocomplete", "one-time-code");
  await expect(field).toHaveAttribute("inputmode", "numeric");
  await field.fill("000000");
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That code is not right");

  const { code, codes } = await enrol(page);
  // On to the page first asked for.
  await page.getByRole("link", { name: "I have saved them: continue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();

  // The code used to enrol, seen over a shoulder, does not work again.
  await password(page, email);
  await expect(page.getByRole("heading", { name: "Enter your sign-in code" })).toBeVisible();
  await page.getByLabel("Code from your authenticator app").fill(code);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("That code has been used already");

  // A recovery code signs in once.
  await page.getByLabel("Recovery code").fill(codes[0]);
  await page.getByRole("button", { name: "Sign in with a recovery code" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Articles" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await password(page, email);
  await page.getByLabel("Recovery code").fill(codes[0]);
  await page.getByRole("button", { name: "Sign in with a recovery code" }).click();
  await expect(page.getByRole("alert")).toContainText("used already");
  await context.close();
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the second-factor pages have no axe violations (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    const email = `axe-${colorScheme}@clinic.example`;
    await password(page, email);
    expect(await violations(page), "enrolment").toEqual([]);
    await page.getByLabel("Enter the code the app shows").fill("12");
    await page.getByRole("button", { name: "Confirm and sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("Enter the 6-digit code");
    expect(await violations(page), "enrolment with an error").toEqual([]);
    await enrol(page);
    expect(await violations(page), "recovery codes").toEqual([]);
    await page.getByRole("link", { name: "I have saved them: continue" }).click();
    await page.goto("/admin/account");
    await expect(page.getByText("Recovery codes left: 10 of 10.")).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await password(page, email);
    expect(await violations(page), "code").toEqual([]);
    await context.close();
  });
}

test("a passkey is added, signs in instead of a code, and is removed (Chromium's virtual authenticator)", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const email = "passkey@clinic.example";
  await signIn(page, email);
  await page.goto("/admin/account");
  // The name a person types stays text wherever it is shown.
  const name = `</title></textarea></script>"><svg onload=window.__pwned=1>`;
  await page.getByLabel("Name for the new passkey").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page).toHaveURL(/done=passkey-added/);
  await expect(page.getByText(`${name}: added`)).toBeVisible();
  await expect(page.getByText(/, never used/)).toBeVisible();
  await expect(page.locator("svg[onload]")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await violations(page), "account with a passkey").toEqual([]);
  await page.getByRole("button", { name: "Sign out" }).click();

  // Signing in: the password, then the passkey instead of a code.
  await password(page, email);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Articles" })).toBeVisible();
  await page.goto("/admin/account");
  await expect(page.getByText(/, last used/)).toBeVisible();

  await page.getByRole("button", { name: `Remove ${name}` }).click();
  await expect(page).toHaveURL(/done=passkey-removed/);
  await expect(page.getByText(/Test laptop: added/)).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await password(page, email);
  await expect(page.getByRole("button", { name: "Use a passkey" })).toHaveCount(0);
  await context.close();
});
