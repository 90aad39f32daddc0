import { WhmcsSandboxError } from "../errors.js";
import { reconcileTestModule } from "./reconcile-test.js";
import type { ServerModule } from "./types.js";
import { zohoMailModule } from "./zoho-mail.js";

/** The server modules a sandbox has installed, by system name (case-insensitive, like module folders on most hosts). */
export class ModuleRegistry {
  readonly #byName = new Map<string, ServerModule>();

  constructor(modules: readonly ServerModule[]) {
    for (const m of modules) {
      if (!/^[a-z][a-z0-9_]*$/i.test(m.name)) {
        throw new WhmcsSandboxError("options.module", `invalid server module name ${JSON.stringify(m.name)}: letters, digits and _ only`);
      }
      this.#byName.set(m.name.toLowerCase(), m);
    }
  }

  get(name: string): ServerModule | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }
}

/** `zoho_mail` and `reconcile_test`, then `extra` (a module of the same name replaces the built-in one). */
export function defaultModules(extra: readonly ServerModule[] = []): ModuleRegistry {
  return new ModuleRegistry([zohoMailModule, reconcileTestModule, ...extra]);
}
