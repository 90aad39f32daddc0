import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

describe("README's layout paragraph", () => {
  it("names every folder under src/, and no folder that is not there", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const paragraph = /^Layout: [\s\S]*?\n\n/m.exec(readme)?.[0] ?? "";
    expect(paragraph).not.toBe("");
    const named = new Set([...paragraph.matchAll(/`([a-z]+)\/(?:\{[^}]*\}\/)?`/g)].map((m) => m[1] as string).filter((n) => n !== "src"));
    const folders = readdirSync(join(ROOT, "src"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect([...named].sort()).toEqual(folders);
  });
});
