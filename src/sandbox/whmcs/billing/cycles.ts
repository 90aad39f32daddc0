import { CYCLES, type Cycle } from "../../../core/cycles.js";
import type { WhmcsSwitches } from "../switches.js";

/** A billing term as the API names it: a recurring cycle, or the one-time and free pay types. */
export type Term = Cycle | "onetime" | "free";
export const TERMS: readonly Term[] = [...CYCLES, "onetime", "free"];

/** An API or display spelling (`semiannually`, `Semi-Annually`, `One-Time`, `Free Account`) as a term. */
export function parseTerm(text: string, switches: Pick<WhmcsSwitches, "billingCycleDisplay">): Term | undefined {
  const folded = fold(text);
  if (folded === "") return undefined;
  for (const term of TERMS) {
    if (fold(term) === folded || fold(switches.billingCycleDisplay[term] ?? "") === folded) return term;
  }
  return undefined;
}

/** The display string WHMCS stores in `tblhosting.billingcycle`. */
export function displayTerm(term: Term, switches: Pick<WhmcsSwitches, "billingCycleDisplay">): string {
  return switches.billingCycleDisplay[term] ?? term;
}

function fold(s: string): string {
  return s.toLowerCase().replace(/[\s-]/g, "");
}
