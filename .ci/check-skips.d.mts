export interface SkipVerdict {
  ok: boolean;
  messages: string[];
  skippedTests?: number;
  skippedFiles?: number;
}
export interface VitestOutput {
  files: Record<string, number> | null;
  tests: Record<string, number> | null;
  skippedByFile: Map<string, number>;
  skippedFiles: Set<string>;
}
export function parseAllowList(text: string): Set<string>;
export function parseVitestOutput(output: string): VitestOutput;
export function checkSkips(output: string, allowed?: Set<string>): SkipVerdict;
