import { parentPort } from "node:worker_threads";
import { inProcessSandboxes } from "./sandboxes.js";

// The bench's sandboxes on a thread of their own (see `workerSandboxes`).
const port = parentPort;
if (port === null) throw new Error("sandbox-worker runs as a worker thread");
try {
  const sandboxes = await inProcessSandboxes();
  port.on("message", (m: { id: number; op: "verifyFrom" | "model" | "resetCalls" | "counts" | "close"; arg?: unknown }) => {
    const run = async (): Promise<unknown> => {
      switch (m.op) {
        case "verifyFrom":
          return sandboxes.verifyFrom(m.arg as number);
        case "model":
          return sandboxes.model(m.arg as Parameters<typeof sandboxes.model>[0]);
        case "resetCalls":
          return sandboxes.resetCalls();
        case "counts":
          return sandboxes.counts();
        case "close":
          return sandboxes.close();
      }
    };
    run().then(
      (result) => port.postMessage({ id: m.id, result }),
      (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  port.postMessage({ info: sandboxes.info });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
