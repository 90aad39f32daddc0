import { resolve, relative } from "node:path";
// The loader alone, not the manifest package's index (which also brings the dump writer and the rest).
import { loadProject } from "../../manifest/load.js";
import type { GlobalArgs } from "../args.js";
import type { CliIo } from "../io.js";

/** `reconcile validate`: load and check everything, touch no remote system, need no secrets. */
export async function validateCommand(args: GlobalArgs, io: CliIo): Promise<number> {
  const project = await loadProject(resolve(io.cwd, args.config));
  const c = project.catalog;
  const counts = [
    `${c.productGroups.length} product group(s)`,
    `${c.configOptionGroups.length} option group(s)`,
    `${c.products.length} product(s)`,
    `${project.customerOrgs.length} customer org(s)`,
  ];
  io.stdout.write(
    `OK: ${relative(io.cwd, project.config.file) || project.config.file} and ${project.files.length} manifest file(s) are valid: ${counts.join(", ")}.\n`,
  );
  return 0;
}
