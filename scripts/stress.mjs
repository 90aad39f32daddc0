#!/usr/bin/env node
// Runs the test suite while other processes keep every core busy, to catch tests whose outcome
// depends on machine speed.
//
//   npm run test:stress -- [--busy N] [--times N] [-- <vitest args>]
//
// --busy N    busy processes (default 4, or STRESS_BUSY)
// --times N   rounds of `vitest run` (default 1, or STRESS_TIMES)
//
// Prints one summary line per round and exits with the first non-zero vitest exit code (0 when
// every round passed). The busy processes are stopped at the end of each round whatever happens,
// and stop by themselves too: when this script is gone, or after STRESS_BUSY_MAX_MINUTES (default 30).
import { spawn } from "node:child_process";
import process from "node:process";

function parseArgs(argv) {
  const opts = {
    busy: Number(process.env.STRESS_BUSY ?? 4),
    times: Number(process.env.STRESS_TIMES ?? 1),
    vitest: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split("=", 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (name === "--busy") opts.busy = Number(value());
    else if (name === "--times") opts.times = Number(value());
    else if (arg === "--") opts.vitest.push(...argv.slice(i + 1)), (i = argv.length);
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write("usage: npm run test:stress -- [--busy N] [--times N] [-- <vitest args>]\n");
      process.exit(0);
    } else opts.vitest.push(arg);
  }
  for (const key of ["busy", "times"]) {
    if (!Number.isInteger(opts[key]) || opts[key] < (key === "busy" ? 0 : 1)) {
      process.stderr.write(`stress: --${key} must be a whole number${key === "busy" ? "" : " ≥ 1"}\n`);
      process.exit(2);
    }
  }
  return opts;
}

const maxMinutes = Number(process.env.STRESS_BUSY_MAX_MINUTES ?? 30);

// Burns CPU until its parent (this script) is gone or the time is up.
const BUSY = `
const parent = process.ppid;
const end = Date.now() + ${Math.max(1, maxMinutes)} * 60_000;
let x = 0;
for (;;) {
  for (let i = 0; i < 2e6; i++) x = (x + i * i) % 1000003;
  if (Date.now() > end || process.ppid !== parent) process.exit(0);
}
`;

const busy = new Set();

function startBusy(n) {
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ["-e", BUSY], { stdio: "ignore" });
    busy.add(child);
    child.on("exit", () => busy.delete(child));
  }
}

function stopBusy() {
  for (const child of busy) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  busy.clear();
}

let vitest;

process.on("exit", stopBusy);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopBusy();
    vitest?.kill(signal);
    process.exit(130);
  });
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** Runs `npx vitest run …`, passing its output through; resolves with its exit code and summary lines. */
function runVitest(args) {
  return new Promise((resolve) => {
    const child = spawn("npx", ["vitest", "run", ...args], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    vitest = child;
    let tail = "";
    const keep = (chunk) => {
      tail = (tail + chunk.toString("utf8")).slice(-20_000);
    };
    child.stdout.on("data", (c) => {
      process.stdout.write(c);
      keep(c);
    });
    child.stderr.on("data", (c) => {
      process.stderr.write(c);
      keep(c);
    });
    child.on("error", (err) => resolve({ code: 127, files: `could not start vitest: ${err.message}`, tests: "" }));
    child.on("close", (code, signal) => {
      const plain = tail.replace(ANSI, "");
      const line = (label) => plain.match(new RegExp(`^\\s*${label}\\s+(.+)$`, "m"))?.[1]?.trim() ?? "";
      resolve({ code: code ?? (signal ? 128 : 1), files: line("Test Files"), tests: line("Tests") });
    });
  });
}

const opts = parseArgs(process.argv.slice(2));
const summaries = [];
let exitCode = 0;
for (let round = 1; round <= opts.times; round++) {
  startBusy(opts.busy);
  const started = Date.now();
  let result;
  try {
    result = await runVitest(opts.vitest);
  } finally {
    stopBusy();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const summary =
    `stress round ${round}/${opts.times} (${opts.busy} busy): ${result.code === 0 ? "passed" : `FAILED (exit ${result.code})`} in ${seconds} s` +
    (result.tests ? ` — tests: ${result.tests}` : "") +
    (result.files ? `; files: ${result.files}` : "");
  summaries.push(summary);
  process.stdout.write(`\n${summary}\n`);
  if (result.code !== 0 && exitCode === 0) exitCode = result.code;
}
if (opts.times > 1) process.stdout.write(`\n${summaries.join("\n")}\n`);
process.exit(exitCode);
