import { expect, test, type APIRequestContext } from "@playwright/test";
import { publicPages } from "./seed";
import { signIn, staff, staffPages } from "./staff";
import { nuErrors, pagesDir, savePage } from "./vnu";

// Every public page and every staff page, as the server sends it, through the W3C Nu HTML
// checker (npm vnu-jar, on Java): no errors at all.

const anonymousPages = [...publicPages, "/no-such-page", "/admin/login"];

async function save(request: APIRequestContext, dir: string, pages: string[]) {
  const files: string[] = [];
  for (const page of pages) {
    const response = await request.get(page);
    expect([200, 404]).toContain(response.status());
    files.push(savePage(dir, page, await response.text()));
  }
  return files;
}

test("every public and staff page is valid HTML (W3C Nu checker: no errors)", async ({ page, request }) => {
  test.setTimeout(90_000);
  const dir = pagesDir();
  const files = await save(request, dir, anonymousPages);
  await signIn(page, staff.admin.email);
  files.push(...(await save(page.request, dir, staffPages)));
  expect(nuErrors(dir, files)).toBe("");
});
