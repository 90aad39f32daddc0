import type { ServerModule } from "./types.js";

const ok = (): Promise<string> => Promise.resolve("success");

/** A well-behaved module for tests: every lifecycle function and its custom `ping` succeed. */
export const reconcileTestModule: ServerModule = {
  name: "reconcile_test",
  CreateAccount: ok,
  SuspendAccount: ok,
  UnsuspendAccount: ok,
  TerminateAccount: ok,
  ChangePackage: ok,
  ChangePassword: ok,
  Renew: ok,
  custom: { ping: ok },
};
