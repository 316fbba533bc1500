import { defineConfig } from "@playwright/test";
import { staffPassword } from "./tests/staff";

// The suite runs against the release build (`cargo leptos build --release`), started here on a
// fresh SQLite database of its own, in Debian's Chromium (Playwright's own browser downloads are
// not available on our machines).
const port = Number(process.env.PLASTICITY_E2E_PORT ?? 3100);
// By name, not address: browsers offer passkeys only to a site reached by a host name, and
// `localhost` counts as a secure origin over plain http. The server listens on 127.0.0.1.
export const baseURL = `http://localhost:${port}`;


export default defineConfig({
  testDir: "./tests",
  // A staff journey is a dozen page loads and form posts (one with axe); on these two-core
  // machines, with two workers, the server and axe sharing them, one took 30 s under load (CI,
  // 2026-12-04) while taking 4 s alone. Each step still has its own 10 s expect timeout.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "end2end/start-server.sh",
    cwd: "..",
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: "sqlite://target/e2e/plasticity.db",
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      PLASTICITY_PUBLIC_URL: baseURL,
      LEPTOS_SITE_ROOT: "target/site",
      RUST_LOG: "warn",
      E2E_PASSWORD: staffPassword,
      // Seals the test accounts' second-factor secrets (a test value, like the password).
      PLASTICITY_SECRET_KEY: "4a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
    },
  },
});
