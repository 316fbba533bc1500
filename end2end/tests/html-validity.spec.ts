import { expect, test, type APIRequestContext } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { publicPages } from "./seed";
import { signIn, staff, staffPages } from "./staff";

// Every public page and every staff page, as the server sends it, through the W3C Nu HTML
// checker (npm vnu-jar, on Java): no errors at all.
const vnu = path.resolve(__dirname, "../../tools/node_modules/vnu-jar/build/dist/vnu.jar");

const anonymousPages = [...publicPages, "/no-such-page", "/admin/login"];

async function save(request: APIRequestContext, dir: string, pages: string[]) {
  const files: string[] = [];
  for (const page of pages) {
    const response = await request.get(page);
    expect([200, 404]).toContain(response.status());
    const file = path.join(dir, `${page.replace(/[^a-z0-9]+/gi, "_") || "root"}.html`);
    writeFileSync(file, await response.text());
    files.push(file);
  }
  return files;
}

test("every public and staff page is valid HTML (W3C Nu checker: no errors)", async ({ page, request }) => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(path.join(tmpdir(), "plasticity-vnu-"));
  const files = await save(request, dir, anonymousPages);
  await signIn(page, staff.admin.email);
  files.push(...(await save(page.request, dir, staffPages)));
  let report = "";
  try {
    execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "text", ...files], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    report = `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
  }
  expect(report.replaceAll(dir, "")).toBe("");
});
