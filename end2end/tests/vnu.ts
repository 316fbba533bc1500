import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// The W3C Nu HTML checker (npm vnu-jar, on Java).
const vnu = path.resolve(__dirname, "../../tools/node_modules/vnu-jar/build/dist/vnu.jar");

/** A directory for the pages to check. */
export function pagesDir() {
  return mkdtempSync(path.join(tmpdir(), "plasticity-vnu-"));
}

/** Writes `html` (as the server sent it) into `dir` under a name made from `name`. */
export function savePage(dir: string, name: string, html: string) {
  const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, "_") || "root"}.html`);
  writeFileSync(file, html);
  return file;
}

/** The Nu checker's errors in `files` (in `dir`), one per line; "" when there are none. */
export function nuErrors(dir: string, files: string[]) {
  let report = "";
  try {
    execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "text", ...files], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    report = `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
  }
  return report.replaceAll(dir, "");
}
