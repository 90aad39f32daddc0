import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import pLimit from "p-limit";
import { compareCodeUnits } from "../../core/canonical.js";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { readCustomerLiveState } from "../../live/index.js";
import {
  CUSTOMER_LAYOUTS,
  CUSTOMERS_DIR,
  dumpBook,
  dumpCatalog,
  IMPORT_REPORT,
  loadConfig,
  selectProducts,
  type CustomerLayout,
  type ImportClientDetails,
} from "../../manifest/index.js";
import type { Config } from "../../model/config.js";
import { MANAGED_MODULE } from "../../model/catalog.js";
import { getClientDetails } from "../../providers/whmcs/index.js";
import type { ParsedArgs } from "../args.js";
import { usageError } from "../args.js";
import type { CliIo } from "../io.js";
import { targetsFor } from "../../pipeline/index.js";

/** GetClientsDetails calls in flight while importing customers. */
const DETAIL_CONCURRENCY = 4;

/**
 * `reconcile import`: write the live zoho_mail catalog as manifests, to start a repository from;
 * with `--customers`, the customer orgs too (the whole book). Reads only: nothing is written to
 * WHMCS or Zoho.
 */
export async function importCommand(parsed: ParsedArgs, io: CliIo, logger: Logger): Promise<number> {
  const config = await loadConfig(resolve(io.cwd, parsed.values.config ?? "reconcile.yaml"));
  const outDir = resolve(io.cwd, parsed.values.out ?? join(relative(io.cwd, config.dir) || ".", "imported"));
  if (parsed.values.customers === true) return importCustomers(parsed, io, logger, config, outDir);
  if (parsed.values.products !== undefined || parsed.values.layout !== undefined) throw usageError("--products and --layout go with --customers");
  const { catalog } = targetsFor({ ...config, zoho: undefined }, io.env, logger);
  const live = await catalog.readCatalog();
  const dump = dumpCatalog(live);
  const names = Object.keys(dump.files);
  if (names.length === 0) {
    io.stdout.write("No zoho_mail products in WHMCS: nothing to import.\n");
    return ExitCode.ok;
  }
  writeFiles(outDir, dump.files, parsed.values.force === true);
  const c = dump.counts;
  const where = relative(io.cwd, outDir) || ".";
  io.stdout.write(
    `Imported ${c.productGroups} product group(s), ${c.configOptionGroups} option group(s) and ${c.products} product(s) into ${where}/ (${names.join(", ")}).\n` +
      `Add "${relative(config.dir, outDir) || "."}/*.yaml" to manifests in ${relative(io.cwd, config.file) || config.file}, then run reconcile --dry-run: it adopts each object.\n`,
  );
  for (const w of dump.warnings) io.stderr.write(`note: ${w}\n`);
  return ExitCode.ok;
}

/** Refuses to overwrite without --force; then writes every file (folders as needed). */
function writeFiles(outDir: string, files: Readonly<Record<string, string>>, force: boolean): void {
  const names = Object.keys(files);
  const clash = names.filter((n) => existsSync(join(outDir, n)));
  if (clash.length > 0 && !force) {
    const shown = clash.slice(0, 5).map((n) => join(outDir, n));
    throw new ReconcileError(
      "import.would-overwrite",
      `${shown.join(", ")}${clash.length > shown.length ? ` and ${clash.length - shown.length} more` : ""} already exist(s); nothing was written`,
      ExitCode.error,
      { hint: "choose another --out directory, or add --force to overwrite" },
    );
  }
  for (const n of names) {
    mkdirSync(dirname(join(outDir, n)), { recursive: true });
    writeFileSync(join(outDir, n), files[n] ?? "", "utf8");
  }
}

function layoutOf(parsed: ParsedArgs): CustomerLayout {
  const layout = parsed.values.layout ?? "per-customer";
  if (!(CUSTOMER_LAYOUTS as readonly string[]).includes(layout)) throw usageError(`--layout must be ${CUSTOMER_LAYOUTS.join(" or ")} (got ${JSON.stringify(layout)})`);
  return layout as CustomerLayout;
}

/**
 * `reconcile import --customers`: the catalog (with each product's Zoho plan read from its paid
 * orgs) and one CustomerOrg per service in use. Reads in bulk, like a plan: the catalog (1 call),
 * GetClients and GetClientsProducts page by page, Zoho's org and subscription listings; then
 * GetClientsDetails once per client of an imported service (address, phone and currency are in
 * no list), DETAIL_CONCURRENCY at a time.
 */
async function importCustomers(parsed: ParsedArgs, io: CliIo, logger: Logger, config: Config, outDir: string): Promise<number> {
  const layout = layoutOf(parsed);
  if (config.zoho === undefined) {
    throw new ReconcileError("config.zoho-missing", `importing customer orgs reads Zoho, and ${config.file} has no zoho section`, ExitCode.invalid, {
      hint: "add zoho: { region, clientId: ${env:ZOHO_CLIENT_ID}, clientSecret: ${env:ZOHO_CLIENT_SECRET}, refreshToken: ${env:ZOHO_REFRESH_TOKEN} }",
    });
  }
  const targets = targetsFor(config, io.env, logger);
  const zoho = targets.zoho;
  if (zoho === undefined) throw new Error("a config with a zoho section has a Zoho provider");
  const catalog = await targets.catalog.readCatalog();

  let productIds: Set<string> | undefined;
  if (parsed.values.products !== undefined) {
    const names = parsed.values.products.split(",").map((n) => n.trim()).filter((n) => n !== "");
    const picked = selectProducts(catalog, names);
    if (names.length === 0 || picked.unknown.length > 0) {
      throw usageError(
        `--products names no zoho_mail product: ${picked.unknown.join(", ") || "(empty list)"}; products: ${picked.known.join(", ") || "none"}`,
      );
    }
    productIds = picked.ids;
  }
  if (!catalog.products.some((p) => p.state.module === MANAGED_MODULE)) {
    io.stdout.write("No zoho_mail products in WHMCS: nothing to import.\n");
    return ExitCode.ok;
  }

  const customers = await readCustomerLiveState({ whmcs: targets.whmcs, zoho, catalog, declaredDomains: [], logger });
  const wanted = customers.services.filter((s) => (productIds === undefined || productIds.has(s.productId)) && ["pending", "active", "suspended"].includes(s.status));
  const clientIds = [...new Set(wanted.map((s) => s.clientId))].sort(compareCodeUnits);
  const limit = pLimit(DETAIL_CONCURRENCY);
  const clients = new Map<string, ImportClientDetails>();
  await Promise.all(
    clientIds.map((id) =>
      limit(async () => {
        const d = await getClientDetails(targets.whmcs, { clientId: id });
        clients.set(id, {
          id,
          email: d.email,
          firstName: d.firstName,
          lastName: d.lastName,
          company: d.companyName,
          address1: d.address1,
          address2: d.address2,
          city: d.city,
          state: d.state,
          postcode: d.postcode,
          country: d.country,
          phone: d.phoneNumber,
          currency: d.currencyCode ?? catalog.currencies.find((c) => c.id === d.currencyId)?.code,
        });
      }),
    ),
  );

  const book = dumpBook({
    catalog,
    customers,
    clients,
    zohoPlans: config.zoho.plans,
    layout,
    ...(productIds !== undefined ? { productIds } : {}),
  });
  writeFiles(outDir, book.files, parsed.values.force === true);
  const written = new Set(Object.keys(book.files));
  const stale = existsSync(join(outDir, CUSTOMERS_DIR))
    ? readdirSync(join(outDir, CUSTOMERS_DIR))
        .map((f) => `${CUSTOMERS_DIR}/${f}`)
        .filter((f) => f.endsWith(".yaml") && !written.has(f))
    : [];

  const c = book.counts;
  const where = relative(io.cwd, outDir) || ".";
  const inConfig = relative(config.dir, outDir) || ".";
  io.stdout.write(
    `Imported ${c.productGroups} product group(s), ${c.configOptionGroups} option group(s), ${c.products} product(s) and ${c.orgs} customer org(s) into ${where}/.\n` +
      (c.notImported > 0 ? `${c.notImported} service(s) could not be adopted as they are: written commented out, with what differs, and listed in ${where}/${IMPORT_REPORT}.\n` : "") +
      `Add "${inConfig}/*.yaml" and "${inConfig}/${CUSTOMERS_DIR}/*.yaml" to manifests in ${relative(io.cwd, config.file) || config.file}, then run reconcile --dry-run: ` +
      "it adopts each org, and records its ZOID in WHMCS.\n",
  );
  for (const w of book.warnings) io.stderr.write(`note: ${w}\n`);
  for (const f of stale) io.stderr.write(`note: ${join(where, f)} is from an earlier import and names no service now; delete it if that is right\n`);
  return ExitCode.ok;
}
