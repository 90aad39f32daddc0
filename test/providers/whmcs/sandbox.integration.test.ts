import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PriceRow } from "../../../src/model/catalog.js";
import type { ConfigOptionGroupWrite, ProductWrite } from "../../../src/model/provider.js";
import { Secret } from "../../../src/core/secrets.js";
import { createCatalogProvider, createWhmcsClient, type WhmcsCatalogProvider } from "../../../src/providers/whmcs/index.js";
import { startWhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import { fullPriceRow } from "./fixtures.js";

type Sandbox = Awaited<ReturnType<typeof startWhmcsSandbox>>;

const row = fullPriceRow;
const surcharge = (over: Partial<Record<keyof PriceRow, string>>) => row(over, "0.00");
const price = (over: Partial<Record<keyof PriceRow, string>>) => row(over, "-1.00");

const asSecret = (value: unknown, source: string): Secret => (value instanceof Secret ? value : new Secret(String(value), source));

describe("WHMCS provider against the sandbox (companion backend)", () => {
  let sb: Sandbox;
  let provider: WhmcsCatalogProvider;
  let usd: string;
  let eur: string;
  let client: ReturnType<typeof createWhmcsClient>;

  beforeAll(async () => {
    sb = await startWhmcsSandbox({ switches: { companion: true }, seedEur: true });
    client = createWhmcsClient({
      url: sb.url,
      identifier: asSecret(sb.credentials.identifier, "sandbox:identifier"),
      secret: asSecret(sb.credentials.secret, "sandbox:secret"),
    });
    provider = createCatalogProvider({ client, backend: "companion" });
    const live = await provider.readCatalog();
    const found = live.currencies.find((c) => c.code === "USD");
    const euro = live.currencies.find((c) => c.code === "EUR");
    if (found === undefined || euro === undefined) throw new Error("sandbox has no USD or EUR currency");
    usd = found.id;
    eur = euro.id;
  });

  afterAll(async () => {
    await sb?.close();
  });

  const groupWrite = { key: "business-email", state: { name: "Business & Email", headline: "Email on your own domain", tagline: "Powered by Zoho Mail", hidden: false, order: 1 } };
  const optionsWrite = (): ConfigOptionGroupWrite => ({
    key: "mail-lite-options",
    name: "Mail Lite options",
    description: "Mailboxes for Zoho Mail Lite",
    options: [
      {
        key: "mailboxes",
        label: "Mailboxes",
        type: "quantity",
        min: 1,
        max: 0,
        order: 0,
        hidden: false,
        choices: [{ key: "", label: "Mailbox", order: 0, hidden: false, pricing: { [usd]: surcharge({ monthly: "1.00", annually: "12.00" }) } }],
      },
      {
        key: "storage",
        label: "Storage",
        type: "dropdown",
        min: 0,
        max: 0,
        order: 1,
        hidden: false,
        choices: [
          { key: "5gb", label: "5 GB", order: 0, hidden: false, pricing: { [usd]: surcharge({}) } },
          { key: "10gb", label: "10 GB <more>", order: 1, hidden: false, pricing: { [usd]: surcharge({ monthly: "0.50", annually: "6.00" }) } },
        ],
      },
    ],
  });
  const productWrite = (groupId: string, configGroupId: string): ProductWrite => ({
    key: "mail-lite",
    groupId,
    name: "Zoho Mail Lite",
    description: "Ad-free business email, 5 GB per mailbox.",
    type: "other",
    payType: "recurring",
    hidden: false,
    module: "zoho_mail",
    configOptionGroupIds: [configGroupId],
    pricing: { [usd]: price({ annually: "0.00", asetupfee: "0.00" }), [eur]: price({ monthly: "1.50" }) },
  });

  it("upserts a group, an option group and a product, and reads them back canonically in one call", async () => {
    const writer = provider.writer!;
    const group = await writer.upsertProductGroup(groupWrite);
    const options = await writer.upsertConfigOptionGroup(optionsWrite());
    const product = await writer.upsertProduct(productWrite(group.id, options.id));
    expect([group.created, options.created, product.created]).toEqual([true, true, true]);

    const before = sb.calls.count("ReconcileGetCatalog");
    const live = await provider.readCatalog();
    expect(sb.calls.count("ReconcileGetCatalog")).toBe(before + 1);

    expect(live.ownershipKnown).toBe(true);
    expect(live.productGroups.find((g) => g.remoteId === group.id)).toEqual({ remoteId: group.id, ownedAs: "business-email", state: groupWrite.state });

    const liveOptions = live.configOptionGroups.find((g) => g.remoteId === options.id);
    expect(liveOptions?.ownedAs).toBe("mail-lite-options");
    expect(liveOptions?.state).toEqual({
      name: "Mail Lite options",
      description: "Mailboxes for Zoho Mail Lite",
      options: {
        mailboxes: {
          key: "mailboxes",
          label: "Mailboxes",
          type: "quantity",
          min: 1,
          max: 0,
          order: 0,
          hidden: false,
          choices: { "": { key: "", label: "Mailbox", order: 0, hidden: false, pricing: { USD: surcharge({ monthly: "1.00", annually: "12.00" }) } } },
        },
        storage: {
          key: "storage",
          label: "Storage",
          type: "dropdown",
          min: 0,
          max: 0,
          order: 1,
          hidden: false,
          choices: {
            "5gb": { key: "5gb", label: "5 GB", order: 0, hidden: false, pricing: { USD: surcharge({}) } },
            "10gb": { key: "10gb", label: "10 GB <more>", order: 1, hidden: false, pricing: { USD: surcharge({ monthly: "0.50", annually: "6.00" }) } },
          },
        },
      },
    });
    expect(Object.keys(liveOptions?.ids.options ?? {}).sort()).toEqual(["mailboxes", "storage"]);
    expect(Object.keys(liveOptions?.ids.options["storage"]?.choices ?? {}).sort()).toEqual(["10gb", "5gb"]);

    expect(live.products.find((p) => p.remoteId === product.id)).toEqual({
      remoteId: product.id,
      ownedAs: "mail-lite",
      state: {
        groupId: group.id,
        name: "Zoho Mail Lite",
        description: "Ad-free business email, 5 GB per mailbox.",
        type: "other",
        payType: "recurring",
        hidden: false,
        module: "zoho_mail",
        configOptionGroupIds: [options.id],
        pricing: { EUR: price({ monthly: "1.50" }), USD: price({ annually: "0.00", asetupfee: "0.00" }) },
      },
    });
    expect(Object.keys(live.products.find((p) => p.remoteId === product.id)!.state.pricing)).toEqual(["EUR", "USD"]);
  });

  it("a retried create (no id) finds the ledger entry and returns created:false with the same id", async () => {
    const writer = provider.writer!;
    const first = await provider.readCatalog();
    const groupId = first.productGroups.find((g) => g.ownedAs === "business-email")?.remoteId;
    const optionsId = first.configOptionGroups.find((g) => g.ownedAs === "mail-lite-options")?.remoteId;
    const productId = first.products.find((p) => p.ownedAs === "mail-lite")?.remoteId;
    expect([groupId, optionsId, productId].every((x) => x !== undefined)).toBe(true);

    await expect(writer.upsertProductGroup(groupWrite)).resolves.toEqual({ id: groupId, created: false });
    await expect(writer.upsertConfigOptionGroup(optionsWrite())).resolves.toEqual({ id: optionsId, created: false });
    await expect(writer.upsertProduct(productWrite(groupId!, optionsId!))).resolves.toEqual({ id: productId, created: false });

    const again = await provider.readCatalog();
    expect(again.productGroups.filter((g) => g.ownedAs === "business-email")).toHaveLength(1);
    expect(again.products.filter((p) => p.state.name === "Zoho Mail Lite")).toHaveLength(1);
    expect(again.configOptionGroups.filter((g) => g.state.name === "Mail Lite options")).toHaveLength(1);
  });

  it("updates in place, hides options left out, and unlinks option groups", async () => {
    const writer = provider.writer!;
    const first = await provider.readCatalog();
    const groupId = first.productGroups.find((g) => g.ownedAs === "business-email")!.remoteId;
    const optionsId = first.configOptionGroups.find((g) => g.ownedAs === "mail-lite-options")!.remoteId;

    await expect(writer.upsertProductGroup({ ...groupWrite, id: groupId, state: { ...groupWrite.state, hidden: true, order: 4 } })).resolves.toEqual({
      id: groupId,
      created: false,
    });
    const [mailboxes] = optionsWrite().options;
    await writer.upsertConfigOptionGroup({ ...optionsWrite(), id: optionsId, options: [mailboxes!] });
    const product = await writer.upsertProduct({ ...productWrite(groupId, optionsId), configOptionGroupIds: [] });

    const live = await provider.readCatalog();
    expect(live.productGroups.find((g) => g.remoteId === groupId)?.state).toMatchObject({ hidden: true, order: 4 });
    const options = live.configOptionGroups.find((g) => g.remoteId === optionsId)!.state.options;
    expect(options["storage"]?.hidden).toBe(true);
    expect(options["mailboxes"]?.hidden).toBe(false);
    expect(live.products.find((p) => p.remoteId === product.id)?.state.configOptionGroupIds).toEqual([]);
  });

  it("the read-only api backend sees the same product through GetCurrencies + GetProducts", async () => {
    const owned = await provider.readCatalog();
    const groupId = owned.productGroups.find((g) => g.ownedAs === "business-email")!.remoteId;
    const optionsId = owned.configOptionGroups.find((g) => g.ownedAs === "mail-lite-options")!.remoteId;
    await provider.writer!.upsertProduct(productWrite(groupId, optionsId));

    const api = createCatalogProvider({ client, backend: "api" });
    expect(api.writer).toBeUndefined();
    const before = [sb.calls.count("GetCurrencies"), sb.calls.count("GetProducts"), sb.calls.count("ReconcileGetCatalog")];
    const live = await api.readCatalog();
    expect([sb.calls.count("GetCurrencies"), sb.calls.count("GetProducts"), sb.calls.count("ReconcileGetCatalog")]).toEqual([
      before[0]! + 1,
      before[1]! + 1,
      before[2],
    ]);
    expect(live.ownershipKnown).toBe(false);
    expect(live.currencies.map((c) => c.code)).toEqual(["USD", "EUR"]);
    const product = live.products.find((p) => p.state.name === "Zoho Mail Lite");
    expect(product?.state).toMatchObject({ type: "other", payType: "recurring", module: "zoho_mail" });
    expect(product?.state.pricing["USD"]).toEqual(price({ annually: "0.00", asetupfee: "0.00" }));
    expect(product?.state.pricing["EUR"]).toEqual(price({ monthly: "1.50" }));
    // Option groups are synthesised from the options GetProducts lists for the product.
    expect(product?.state.configOptionGroupIds).toHaveLength(1);
    const synthesised = live.configOptionGroups.find((g) => g.remoteId === product?.state.configOptionGroupIds[0]);
    expect(synthesised?.state.options["mailboxes"]).toMatchObject({ label: "Mailboxes", type: "quantity", min: 1, max: 0 });
    expect(synthesised?.state.options["mailboxes"]?.choices[""]?.pricing["USD"]).toEqual(surcharge({ monthly: "1.00", annually: "12.00" }));
  });
});

describe("WHMCS provider against the sandbox: access problems surface with hints", () => {
  it("an IP outside the allow-list is category ip (HTTP 403), and the access key bypasses it", async () => {
    const sb = await startWhmcsSandbox({ allowedIps: ["192.0.2.10"], accessKey: "k3y-Access!" });
    try {
      const base = { url: `${sb.url}/`, identifier: asSecret(sb.credentials.identifier, "i"), secret: asSecret(sb.credentials.secret, "s") };
      const denied = createCatalogProvider({ client: createWhmcsClient(base), backend: "api" });
      const err = await denied.probe().catch((e: unknown) => e);
      expect(err).toMatchObject({ category: "ip", httpStatus: 403, code: "whmcs.api.ip" });
      expect((err as Error & { hint?: string }).hint).toMatch(/API IP Access Restriction/);

      const allowed = createCatalogProvider({ client: createWhmcsClient({ ...base, accessKey: new Secret("k3y-Access!", "a") }), backend: "api" });
      await expect(allowed.probe()).resolves.toMatchObject({ currencies: 1 });
    } finally {
      await sb.close();
    }
  });

  it("companion actions missing on the server are category unknown-action with an install hint", async () => {
    const sb = await startWhmcsSandbox();
    try {
      const client = createWhmcsClient({ url: sb.url, identifier: asSecret(sb.credentials.identifier, "i"), secret: asSecret(sb.credentials.secret, "s") });
      const err = await createCatalogProvider({ client, backend: "companion" })
        .readCatalog()
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ category: "unknown-action", action: "ReconcileGetCatalog" });
      expect((err as Error & { hint?: string }).hint).toMatch(/companion\/includes\/api/);
    } finally {
      await sb.close();
    }
  });
});
