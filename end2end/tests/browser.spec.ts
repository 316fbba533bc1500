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
    // The print button's inline script (carrying the page's nonce) revealed it.
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

  test("public pages run only their own nonced scripts, with a new nonce each time", async ({ page, browser }) => {
    const response = (await page.goto(seed.path))!;
    const csp = response.headers()["content-security-policy"];
    const nonce = /script-src 'nonce-([0-9a-f]{32})';/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("wasm");
    expect(await page.locator("script[nonce]").first().evaluate((el) => (el as HTMLScriptElement).nonce)).toBe(nonce);
    await expect(page.getByRole("button", { name: "Print this article" })).toBeVisible();
    // An injected inline script would not run: the policy blocks anything but the print script.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.append(script);
    });
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    // A browser without the page cached gets the same page under a new nonce.
    const other = await (await browser.newContext()).newPage();
    const again = (await other.goto(seed.path))!;
    expect(again.headers()["content-security-policy"]).not.toBe(csp);
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

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  for (const path of [...publicPages, "/no-such-page"]) {
    test(`${path} has no horizontal scrolling at 375 px`, async ({ page }) => {
      await page.goto(path);
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    });
  }

  test("the help link is a large tap target", async ({ page }) => {
    await page.goto(seed.path);
    const box = (await page.getByRole("link", { name: "Need help now?" }).boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
  });
});
