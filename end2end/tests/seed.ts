import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The seed article exactly as the clinic wrote it (seed/source/…txt). */
const original = readFileSync(
  join(__dirname, "..", "..", "seed", "source", "ketamine-and-brain-plasticity.txt"),
  "utf8",
);
const parts = original.split("\n\n");

export const seed = {
  path: "/articles/ketamine-and-brain-plasticity",
  title: parts[0],
  byline: parts[1],
  paragraphs: parts.slice(2, 6),
  doiUrl: "https://doi.org/10.1016/j.neuropharm.2011.08.044",
};

/** The public pages every check in this suite visits. */
export const publicPages = [
  "/",
  seed.path,
  "/help-now",
  "/glossary",
  "/topics",
  "/topics/how-ketamine-treatment-works",
  "/search",
  "/search?q=ketamine",
  "/search?q=xylophone",
  // Answered with a glossary definition above the results.
  "/search?q=synaptogensis",
];
