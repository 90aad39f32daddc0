import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSkips, parseAllowList, parseVitestOutput } from "../../.ci/check-skips.mjs";

const E = "\u001b";
/** vitest 4.1 default-reporter output with colours, as `.ci/run` captures it: skips in three files. */
const WITH_SKIPS = [
  ` ${E}[1m${E}[30m${E}[46m RUN ${E}[49m${E}[39m${E}[22m ${E}[36mv4.1.12 ${E}[39m${E}[90m/work/main${E}[39m`,
  "",
  ` ${E}[32m✓${E}[39m test/d.test.ts ${E}[2m(${E}[22m${E}[2m2 tests${E}[22m${E}[2m | ${E}[22m${E}[33m2 skipped${E}[39m${E}[2m)${E}[22m${E}[32m 3${E}[2mms${E}[22m${E}[39m`,
  ` ${E}[32m✓${E}[39m test/a.test.ts ${E}[2m(${E}[22m${E}[2m3 tests${E}[22m${E}[2m | ${E}[22m${E}[33m1 skipped${E}[39m${E}[2m | ${E}[22m${E}[90m1 todo${E}[39m${E}[2m)${E}[22m${E}[32m 3${E}[2mms${E}[22m${E}[39m`,
  ` ${E}[2m${E}[90m↓${E}[39m${E}[22m test/b.test.ts ${E}[2m(${E}[22m${E}[2m1 test${E}[22m${E}[2m | ${E}[22m${E}[33m1 skipped${E}[39m${E}[2m)${E}[22m`,
  ` ${E}[32m✓${E}[39m test/c.test.ts ${E}[2m(${E}[22m${E}[2m1 test${E}[22m${E}[2m)${E}[22m${E}[32m 3${E}[2mms${E}[22m${E}[39m`,
  "",
  `${E}[2m Test Files ${E}[22m ${E}[1m${E}[32m3 passed${E}[39m${E}[22m${E}[2m | ${E}[22m${E}[33m1 skipped${E}[39m${E}[90m (4)${E}[39m`,
  `${E}[2m      Tests ${E}[22m ${E}[1m${E}[32m2 passed${E}[39m${E}[22m${E}[2m | ${E}[22m${E}[33m4 skipped${E}[39m${E}[2m | ${E}[22m${E}[90m1 todo${E}[39m${E}[90m (7)${E}[39m`,
  `${E}[2m   Start at ${E}[22m 20:21:02`,
  `${E}[2m   Duration ${E}[22m 1.13s`,
  "",
].join("\n");

const CLEAN = `
 RUN  v4.1.12 /work/main

 ✓ test/c.test.ts (1 test) 3ms
 ✓ test/a.test.ts (12 tests) 3ms

 Test Files  2 passed (2)
      Tests  13 passed (13)
   Start at  20:21:04
   Duration  544ms (transform 30ms, setup 0ms, import 55ms, tests 5ms, environment 0ms)
`;

describe(".ci/check-skips.mjs", () => {
  it("passes a run without skips", () => {
    const verdict = checkSkips(CLEAN);
    expect(verdict.ok).toBe(true);
    expect(verdict.messages[0]).toBe("no skipped tests");
  });

  it("fails a run with skipped tests and files, naming each file", () => {
    const verdict = checkSkips(WITH_SKIPS);
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ skippedTests: 4, skippedFiles: 1 });
    const text = verdict.messages.join("\n");
    expect(text).toContain("test/d.test.ts (2 skipped)");
    expect(text).toContain("test/a.test.ts (1 skipped)");
    expect(text).toContain("test/b.test.ts (1 skipped)");
    expect(text).toContain("1 todo test(s)");
  });

  it("reads per-file and summary counts through the colour codes", () => {
    const parsed = parseVitestOutput(WITH_SKIPS);
    expect(parsed.tests).toEqual({ passed: 2, skipped: 4, todo: 1 });
    expect(parsed.files).toEqual({ passed: 3, skipped: 1 });
    expect([...parsed.skippedByFile]).toEqual([
      ["test/d.test.ts", 2],
      ["test/a.test.ts", 1],
      ["test/b.test.ts", 1],
    ]);
    expect([...parsed.skippedFiles]).toEqual(["test/b.test.ts"]);
  });

  it("accepts skips only in files on the allow-list", () => {
    const some = parseAllowList("# comment\ntest/d.test.ts\n\ntest/b.test.ts  # whole file\n");
    expect([...some]).toEqual(["test/d.test.ts", "test/b.test.ts"]);
    const partly = checkSkips(WITH_SKIPS, some);
    expect(partly.ok).toBe(false);
    expect(partly.messages.join("\n")).toContain("test/a.test.ts (1 skipped)");
    expect(checkSkips(WITH_SKIPS, new Set([...some, "test/a.test.ts"])).ok).toBe(true);
  });

  it("fails skips it cannot attribute to a file line", () => {
    const summaryOnly = "\n Test Files  2 passed (2)\n      Tests  9 passed | 2 skipped (11)\n";
    const verdict = checkSkips(summaryOnly, new Set(["test/a.test.ts"]));
    expect(verdict.ok).toBe(false);
    expect(verdict.messages.join("\n")).toContain("2 skipped test(s) not attributable");
  });

  it("fails when there is no summary at all", () => {
    expect(checkSkips("npm ERR! something else\n").ok).toBe(false);
  });

  it("exits 1 with a skipped run and 0 with a clean one when run as a script", () => {
    const dir = mkdtempSync(join(tmpdir(), "check-skips-"));
    const script = new URL("../../.ci/check-skips.mjs", import.meta.url).pathname;
    const empty = join(dir, "allowed");
    writeFileSync(empty, "");
    writeFileSync(join(dir, "clean.log"), CLEAN);
    writeFileSync(join(dir, "skips.log"), WITH_SKIPS);
    const run = (log: string) => {
      try {
        execFileSync(process.execPath, [script, join(dir, log), empty], { stdio: "pipe" });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    expect(run("clean.log")).toBe(0);
    expect(run("skips.log")).toBe(1);
  });
});
