import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { dumpCatalog, loadConfig } from "../../manifest/index.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { targetsFor } from "../../pipeline/index.js";

/** `reconcile import`: write the live zoho_mail catalog as manifests, to start a repository from. */
export async function importCommand(parsed: ParsedArgs, io: CliIo, logger: Logger): Promise<number> {
  const config = await loadConfig(resolve(io.cwd, parsed.values.config ?? "reconcile.yaml"));
  const outDir = resolve(io.cwd, parsed.values.out ?? join(relative(io.cwd, config.dir) || ".", "imported"));
  const { catalog } = targetsFor({ ...config, zoho: undefined }, io.env, logger);
  const live = await catalog.readCatalog();
  const dump = dumpCatalog(live);
  const names = Object.keys(dump.files);
  if (names.length === 0) {
    io.stdout.write("No zoho_mail products in WHMCS: nothing to import.\n");
    return ExitCode.ok;
  }
  const clash = names.filter((n) => existsSync(join(outDir, n)));
  if (clash.length > 0 && !parsed.values.force) {
    throw new ReconcileError("import.would-overwrite", `${clash.map((n) => join(outDir, n)).join(", ")} already exist(s); nothing was written`, ExitCode.error, {
      hint: "choose another --out directory, or add --force to overwrite",
    });
  }
  mkdirSync(outDir, { recursive: true });
  for (const n of names) writeFileSync(join(outDir, n), dump.files[n] ?? "", "utf8");
  const c = dump.counts;
  const where = relative(io.cwd, outDir) || ".";
  io.stdout.write(
    `Imported ${c.productGroups} product group(s), ${c.configOptionGroups} option group(s) and ${c.products} product(s) into ${where}/ (${names.join(", ")}).\n` +
      `Add "${relative(config.dir, outDir) || "."}/*.yaml" to manifests in ${relative(io.cwd, config.file) || config.file}, then run reconcile --dry-run: it adopts each object.\n`,
  );
  for (const w of dump.warnings) io.stderr.write(`note: ${w}\n`);
  return ExitCode.ok;
}
