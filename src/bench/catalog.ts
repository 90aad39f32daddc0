import type { SeedCatalog } from "../sandbox/whmcs/index.js";

/** A large catalog: `groups` groups, each with products and a quantity + dropdown option group. */
export function bigCatalogSeedAndManifests(groups: number, productsPerGroup: number): { seed: SeedCatalog; manifests: string } {
  const docs: string[] = [];
  for (let g = 0; g < groups; g++) {
    docs.push(`apiVersion: reconcile.zoho-whmcs/v1
kind: ProductGroup
metadata: { name: group-${g} }
spec: { name: Group ${g}, headline: Headline ${g}, tagline: Tagline ${g}, hidden: false, order: ${g} }
---
apiVersion: reconcile.zoho-whmcs/v1
kind: ConfigOptionGroup
metadata: { name: options-${g} }
spec:
  name: Options ${g}
  description: Options of group ${g}
  options:
    - { key: mailboxes, label: Mailboxes, type: quantity, min: 1, max: 0, pricing: { USD: { monthly: "1.00", annually: "12.00" }, EUR: { monthly: "0.95", annually: "11.40" } } }
    - key: storage
      label: Storage
      type: dropdown
      choices:
        - { key: none, label: None }
        - { key: s50, label: 50 GB, pricing: { USD: { monthly: "1.00" }, EUR: { monthly: "0.95" } } }
`);
    for (let p = 0; p < productsPerGroup; p++) {
      docs.push(`apiVersion: reconcile.zoho-whmcs/v1
kind: Product
metadata: { name: product-${g}-${p} }
spec:
  group: group-${g}
  name: Product ${g}-${p}
  description: Product ${p} of group ${g}
  zoho: { plan: mail-lite }
  configOptionGroups: [options-${g}]
  pricing: { USD: { annually: "${p}.00" }, EUR: { annually: "${p}.50" } }
`);
    }
  }
  return { seed: { currencies: [{ code: "EUR", prefix: "€", suffix: " EUR", rate: "0.9" }] }, manifests: docs.join("---\n") };
}
