import { expect, test } from "@playwright/test";
import { publicPages, seed } from "./seed";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the article reads fully", async ({ page }) => {
    await page.goto(seed.path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(seed.title);
    expect(await page.locator(".article-body p").allTextContents()).toEqual(seed.paragraphs);
    await expect(page.getByRole("region", { name: "References" }).locator("li")).toHaveCount(2);
    await expect(page.locator(".crisis-help")).toBeVisible();
    await expect(page.locator(".review-dates")).toBeVisible();
    // The print button needs JavaScript, so it stays out of the way.
    await expect(page.locator(".print-button")).toBeHidden();
  });

  test("the home page lists the article and the help page works", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: seed.title }).click();
    await expect(page).toHaveURL(seed.path);
    await page.getByRole("link", { name: "Need help now?" }).click();
    await expect(page.getByRole("link", { name: "Call 988" })).toBeVisible();
  });
});

test.describe("with JavaScript", () => {
  test("public pages load no script file or WebAssembly, and log no errors", async ({ page }) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") {
        problems.push(`${message.type()}: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    const loaded: string[] = [];
    page.on("request", (request) => loaded.push(new URL(request.url()).pathname));

    for (const path of publicPages) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
    }
    expect(loaded.filter((path) => path.endsWith(".js") || path.endsWith(".wasm"))).toEqual([]);
    // The print button's inline script (allowed by its hash in the page's policy) revealed it.
    await page.goto(seed.path);
    await expect(page.getByRole("button", { name: "Print this article" })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("the print button opens the print dialog", async ({ page }) => {
    await page.goto(seed.path);
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByRole("button", { name: "Print this article" }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  });
});

test.describe("privacy and security", () => {
  for (const path of [...publicPages, "/no-such-page"]) {
    test(`no request leaves this origin on ${path}`, async ({ page, baseURL }) => {
      const origin = new URL(baseURL!).origin;
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      expect(requests.length).toBeGreaterThan(0);
      const foreign = requests.filter((url) => !url.startsWith("data:") && new URL(url).origin !== origin);
      expect(foreign).toEqual([]);
    });
  }

  test("public pages run only their own inline scripts, allowed by hash, and are the same bytes each time", async ({ page, browser }) => {
    const messages: string[] = [];
    page.on("console", (message) => messages.push(message.text()));
    const response = (await page.goto(seed.path))!;
    const csp = response.headers()["content-security-policy"];
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'( 'sha256-[A-Za-z0-9+/]+=*')*;/);
    expect(csp).not.toContain("nonce");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("'self' 'sha256");
    expect(csp).not.toContain("wasm");
    expect(await page.locator("script[nonce]").count()).toBe(0);
    // The print button's script ran (the policy allowed it), and nothing was refused.
    await expect(page.getByRole("button", { name: "Print this article" })).toBeVisible();
    expect(messages.filter((text) => /Content Security Policy|Refused/.test(text))).toEqual([]);
    // An injected inline script would not run: the policy allows only the page's own scripts.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.append(script);
    });
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    // Another browser gets the same policy: nothing in it is per response.
    const other = await (await browser.newContext()).newPage();
    const again = (await other.goto(seed.path))!;
    expect(again.headers()["content-security-policy"]).toBe(csp);
  });

  test("staff pages send a nonce-based CSP and the usual headers", async ({ page }) => {
    const response = (await page.goto("/admin/login"))!;
    const headers = response.headers();
    const csp = headers["content-security-policy"];
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    const scriptNonce = await page.locator("script[type=module]").evaluate((el) => (el as HTMLScriptElement).nonce);
    expect(scriptNonce).toBe(nonce);

    const again = (await page.goto("/admin/login"))!;
    expect(again.headers()["content-security-policy"]).not.toBe(csp);
  });
});

// The narrowest phones in use (320 px: iPhone SE 1st generation, small Android phones) and a
// common one: no page scrolls sideways on either.
for (const width of [320, 375]) {
  test.describe(`on a phone ${width} px wide`, () => {
    test.use({ viewport: { width, height: 740 }, isMobile: true, hasTouch: true });

    for (const path of [...publicPages, "/no-such-page"]) {
      test(`${path} has no horizontal scrolling at ${width} px`, async ({ page }) => {
        await page.goto(path);
        const widths = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      });
    }
  });
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test("the help link is a large tap target", async ({ page }) => {
    await page.goto(seed.path);
    const box = (await page.getByRole("link", { name: "Need help now?" }).boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
  });
});
