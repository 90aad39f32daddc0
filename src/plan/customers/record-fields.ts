import { compareCodeUnits } from "../../core/canonical.js";
import type { LiveCatalog, ProductState } from "../../model/catalog.js";
import { RECORD_FIELD_NAMES, type RecordFieldFacts } from "../../model/customers.js";
import type { Change, FieldDiff } from "../../model/plan.js";
import type { CatalogBackend } from "../../model/provider.js";
import { MANAGED_MODULE } from "../../model/catalog.js";

const PRODUCTS_PAGE = "Setup → Products/Services → Products/Services";
const FIELDS = [...RECORD_FIELD_NAMES].sort(compareCodeUnits);

export const RECORD_FIELDS_NOTE =
  `adds the admin-only custom fields ${RECORD_FIELD_NAMES.map((n) => JSON.stringify(n)).join(", ")}, ` +
  "where the tool records each customer's Zoho org (not shown on the order form)";

/**
 * A product-level part of the catalog plan: every managed (`zoho_mail`) product must carry the
 * record fields. A product lacking some gets a `recordFields` diff (a noop becomes an update);
 * the catalog backends add the fields when they write a managed product. Unknown (the `api`
 * backend cannot see admin-only fields) means no diff: a warning says what to check.
 */
export function withRecordFields(
  changes: readonly Change[],
  live: LiveCatalog & RecordFieldFacts,
  backend: CatalogBackend,
): { readonly changes: Change[]; readonly warnings: string[] } {
  const known = live.productCustomFields;
  const warnings: string[] = [];
  const out = changes.map((c) => {
    if (c.kind !== "Product" || (c.after as ProductState | null)?.module !== MANAGED_MODULE) return c;
    if (c.action !== "create" && known === undefined) return c;
    const present = c.action === "create" ? [] : FIELDS.filter((f) => (known?.[c.remoteId ?? ""] ?? []).includes(f));
    if (present.length === FIELDS.length) return c;
    const diff: FieldDiff = { path: "recordFields", before: c.action === "create" ? null : present, after: FIELDS };
    const action = c.action === "noop" ? "update" : c.action;
    const notes = [...(c.impact.notes ?? []), RECORD_FIELDS_NOTE];
    const name = (c.after as ProductState).name;
    const manual = backend === "api" ? withManualFields(c, name, present) : c.manual;
    return {
      ...c,
      action,
      before: c.before === null ? null : { ...(c.before as object), recordFields: present },
      after: { ...(c.after as object), recordFields: FIELDS },
      // A create lists no diffs: its `after` carries the fields.
      diffs: c.action === "create" ? c.diffs : [...c.diffs, diff].sort((a, b) => compareCodeUnits(a.path, b.path)),
      impact: { ...c.impact, notes },
      ...(manual !== undefined ? { manual } : {}),
    };
  });
  if (known === undefined && out.some((c) => c.kind === "Product" && (c.after as ProductState | null)?.module === MANAGED_MODULE && c.action !== "create")) {
    warnings.push(
      `the ${backend} catalog backend cannot see admin-only custom fields: check that every zoho_mail product has the text fields ` +
        `${RECORD_FIELD_NAMES.map((n) => JSON.stringify(n)).join(", ")} (Admin Only), where customer orgs are recorded`,
    );
  }
  return { changes: out, warnings };
}

/** The admin-area steps that add the missing fields, after whatever else the change needs. */
function withManualFields(c: Change, productName: string, present: readonly string[]): NonNullable<Change["manual"]> {
  const earlier = c.manual?.instructions ?? [];
  const missing = FIELDS.filter((f) => !present.includes(f));
  const steps = missing.map(
    (f, i) =>
      `${earlier.length + i + 1}. ${PRODUCTS_PAGE}: edit product ${JSON.stringify(productName)}, Custom Fields tab: add the Text Box field ` +
      `${JSON.stringify(f)}, tick Admin Only, leave Show on Order Form unticked`,
  );
  return {
    reason: c.manual?.reason ?? "WHMCS's API cannot add custom fields to a product",
    instructions: [...earlier, ...steps],
  };
}
