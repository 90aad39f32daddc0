import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/reconcile.js", import.meta.url));

export interface StartupFigures {
  readonly runs: number;
  /** Medians, in ms. */
  readonly nodeMs: number;
  readonly helpMs: number;
  readonly validateMs: number;
  readonly helpRatio: number;
  readonly validateRatio: number;
}

function wall(args: readonly string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr.toString().slice(-400)}`);
  return ms;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/**
 * Wall time of `reconcile --help` and `reconcile validate` (of `examples/`) against `node -e 0`,
 * interleaved in one run so machine noise hits all three alike; median of `runs` each.
 */
export function benchStartup(examples: string, runs = 5): StartupFigures {
  const node: number[] = [];
  const help: number[] = [];
  const validate: number[] = [];
  wall([BIN, "--help"], examples); // warm the file cache
  for (let i = 0; i < runs; i++) {
    node.push(wall(["-e", "0"], examples));
    help.push(wall([BIN, "--help"], examples));
    validate.push(wall([BIN, "validate"], examples));
  }
  const nodeMs = median(node);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    runs,
    nodeMs: Math.round(nodeMs),
    helpMs: Math.round(median(help)),
    validateMs: Math.round(median(validate)),
    helpRatio: round(median(help) / nodeMs),
    validateRatio: round(median(validate) / nodeMs),
  };
}
