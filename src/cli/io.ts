import { isatty } from "node:tty";

/** Everything the CLI touches in the outside world, injected so tests run `main` in-process. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** True when stdin and stdout are a terminal (confirmation prompts allowed). */
  readonly interactive: boolean;
  /** Ask a question on the terminal and return the answer. */
  readonly ask: (question: string) => Promise<string>;
  /** Resolves when the user interrupts (Ctrl-C); long-running commands stop then. */
  readonly interrupted: () => Promise<void>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    // isatty(0), not process.stdin.isTTY: reading that getter builds the stdin stream, which every
    // start would pay for; stdin is opened only when a question is asked.
    interactive: isatty(0) && Boolean(process.stdout.isTTY),
    async ask(question) {
      const { createInterface } = await import("node:readline/promises");
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    interrupted: () =>
      new Promise<void>((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      }),
  };
}
