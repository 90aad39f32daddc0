/** WHMCS billing cycles, as used by the API and the `tblpricing` columns. */
export const CYCLES = ["monthly", "quarterly", "semiannually", "annually", "biennially", "triennially"] as const;
export type Cycle = (typeof CYCLES)[number];

/** Setup fee column per cycle (`msetupfee` for monthly, …). */
export const SETUP_FEES = ["msetupfee", "qsetupfee", "ssetupfee", "asetupfee", "bsetupfee", "tsetupfee"] as const;
export type SetupFee = (typeof SETUP_FEES)[number];

export const SETUP_FEE_OF: Readonly<Record<Cycle, SetupFee>> = {
  monthly: "msetupfee",
  quarterly: "qsetupfee",
  semiannually: "ssetupfee",
  annually: "asetupfee",
  biennially: "bsetupfee",
  triennially: "tsetupfee",
};

/** The twelve price columns of a `tblpricing` row, in column order. */
export const PRICE_KEYS = [...SETUP_FEES, ...CYCLES] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

/**
 * The same keys in code-unit order, the order price rows are built in: a plan's canonical JSON then
 * writes them as they are (see canonicalJson).
 */
export const PRICE_KEYS_IN_KEY_ORDER: readonly PriceKey[] = [...PRICE_KEYS].sort();

/** Months per cycle, for monthly-recurring-revenue figures. */
export const CYCLE_MONTHS: Readonly<Record<Cycle, number>> = {
  monthly: 1,
  quarterly: 3,
  semiannually: 6,
  annually: 12,
  biennially: 24,
  triennially: 36,
};

/**
 * Display strings WHMCS stores in `tblhosting.billingcycle` and returns from GetClientsProducts.
 * Only Monthly, Quarterly and One-Time are documented; the rest follow the same pattern.
 */
export const CYCLE_DISPLAY: Readonly<Record<Cycle, string>> = {
  monthly: "Monthly",
  quarterly: "Quarterly",
  semiannually: "Semi-Annually",
  annually: "Annually",
  biennially: "Biennially",
  triennially: "Triennially",
};

export function isCycle(x: unknown): x is Cycle {
  return typeof x === "string" && (CYCLES as readonly string[]).includes(x);
}

export function isPriceKey(x: unknown): x is PriceKey {
  return typeof x === "string" && (PRICE_KEYS as readonly string[]).includes(x);
}

/** Parse a display string or API key (any case, with or without the hyphen) into a cycle. */
export function cycleFromDisplay(s: string): Cycle | undefined {
  const k = s.toLowerCase().replace(/[-\s]/g, "");
  return isCycle(k) ? k : undefined;
}
