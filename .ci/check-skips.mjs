#!/usr/bin/env node
// Reads the output of a vitest run (the default reporter) and fails when it reports skipped tests
// or skipped test files that the allow-list does not cover.
//
//   node .ci/check-skips.mjs <vitest-output-file> [allow-list-file]
//
// Vitest's default reporter prints one line per test file, e.g.
//   ✓ test/a.test.ts (12 tests | 3 skipped) 40ms
//   ↓ test/b.test.ts (4 tests | 4 skipped)
// and a summary:
//    Test Files  41 passed | 1 skipped (42)
//         Tests  300 passed | 7 skipped | 1 todo (308)
// It never prints the names of skipped tests, so the allow-list (default `.ci/allowed-skips`) names
// test files as vitest prints them, one a line; `#` starts a comment. Skips in a listed file are
// allowed; any other skip fails. `todo` tests are reported but do not fail the check.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Counts of a `passed | skipped | todo | failed (total)` list, by word. */
function parseCounts(text) {
  const counts = {};
  for (const m of text.matchAll(/(\d+)\s+(passed|skipped|todo|failed|expected fail)/g)) {
    counts[m[2]] = (counts[m[2]] ?? 0) + Number(m[1]);
  }
  return counts;
}

/** Allow-list text → set of entries (trimmed, comments and blank lines dropped). */
export function parseAllowList(text) {
  const entries = new Set();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line) entries.add(line);
  }
  return entries;
}

/**
 * Parses vitest output. Returns the summary counts (null when no summary line was found) and the
 * skipped count of every per-file line that reports skips.
 */
export function parseVitestOutput(output) {
  const lines = output.replace(ANSI, "").split(/\r?\n/);
  let files = null;
  let tests = null;
  const skippedByFile = new Map();
  const skippedFiles = new Set();
  for (const line of lines) {
    const summary = /^\s*(Test Files|Tests)\s{2,}(.*)$/.exec(line);
    if (summary) {
      const counts = parseCounts(summary[2]);
      if (summary[1] === "Tests") tests = counts;
      else files = counts;
      continue;
    }
    const perFile = /^\s*(\S)\s+(\S+)\s+\((\d+) tests?((?:\s*\|\s*\d+ [a-z ]+?)*)\)/.exec(line);
    if (perFile) {
      const [, symbol, file, , rest] = perFile;
      const skipped = parseCounts(rest ?? "").skipped ?? 0;
      if (skipped > 0) skippedByFile.set(file, (skippedByFile.get(file) ?? 0) + skipped);
      if (symbol === "↓") skippedFiles.add(file);
    }
  }
  return { files, tests, skippedByFile, skippedFiles };
}

/**
 * The verdict on one vitest output: `ok` is false when the summary is missing or when a skipped
 * test or file is not covered by `allowed` (a set of test file paths).
 */
export function checkSkips(output, allowed = new Set()) {
  const { files, tests, skippedByFile, skippedFiles } = parseVitestOutput(output);
  const messages = [];
  if (!tests) {
    return { ok: false, messages: ["no vitest summary (a `Tests  … (N)` line) found in the output"] };
  }
  const skippedTests = tests.skipped ?? 0;
  const skippedFileCount = files?.skipped ?? 0;
  const todo = tests.todo ?? 0;
  const todoNote = todo > 0 ? [`${todo} todo test(s) (not counted as skipped)`] : [];
  if (skippedTests === 0 && skippedFileCount === 0) {
    return { ok: true, messages: ["no skipped tests", ...todoNote], skippedTests, skippedFiles: skippedFileCount };
  }

  let allowedTests = 0;
  const refused = [];
  for (const [file, count] of skippedByFile) {
    if (allowed.has(file)) {
      allowedTests += count;
      messages.push(`allowed: ${file} (${count} skipped)`);
    } else {
      refused.push(`${file} (${count} skipped)`);
    }
  }
  const unattributed = skippedTests - [...skippedByFile.values()].reduce((a, b) => a + b, 0);
  if (unattributed > 0) refused.push(`${unattributed} skipped test(s) not attributable to a file line`);
  const refusedFiles = [...skippedFiles].filter((f) => !allowed.has(f));
  const unattributedFiles = skippedFileCount - skippedFiles.size;
  if (unattributedFiles > 0) refused.push(`${unattributedFiles} skipped file(s) not attributable to a file line`);
  for (const f of refusedFiles) if (!skippedByFile.has(f)) refused.push(`${f} (whole file skipped)`);

  const ok = refused.length === 0 && allowedTests >= skippedTests;
  messages.unshift(
    `${skippedTests} skipped test(s), ${skippedFileCount} skipped file(s); ` +
      (ok ? "all in .ci/allowed-skips" : "not allowed:"),
  );
  for (const r of refused) messages.push(`  ${r}`);
  messages.push(...todoNote);
  return { ok, messages, skippedTests, skippedFiles: skippedFileCount };
}

function main(argv) {
  const [outputFile, allowFile = new URL("./allowed-skips", import.meta.url).pathname] = argv;
  if (!outputFile) {
    console.error("usage: check-skips.mjs <vitest-output-file> [allow-list-file]");
    return 2;
  }
  const allowed = existsSync(allowFile) ? parseAllowList(readFileSync(allowFile, "utf8")) : new Set();
  const verdict = checkSkips(readFileSync(outputFile, "utf8"), allowed);
  const say = verdict.ok ? console.log : console.error;
  say(`== skip check: ${verdict.ok ? "ok" : "FAILED"}`);
  for (const m of verdict.messages) say(`== ${m}`);
  if (!verdict.ok) {
    say("== every test must run on the CI machine; fix the environment, or list the test file in .ci/allowed-skips");
  }
  return verdict.ok ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
