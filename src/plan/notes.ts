import type { Kind } from "../model/catalog.js";
import type { ChangeAction } from "../model/plan.js";
import { isHiding, isPricingDiff } from "./classify.js";
import type { Retired } from "./desired-state.js";
import type { SegmentDiff } from "./diff.js";

export interface NoteInput {
  readonly kind: Kind;
  readonly action: ChangeAction;
  readonly diffs: readonly SegmentDiff[];
  readonly live: { readonly remoteId: string; readonly name: string } | undefined;
  readonly ownershipKnown: boolean;
  readonly retired: Retired | undefined;
  readonly freePricingIgnored: boolean;
}

/** Lines for reviewers, in a fixed order: adoption, then what the field changes mean. */
export function changeNotes(input: NoteInput): string[] {
  const notes: string[] = [];
  const { live, kind, diffs } = input;
  if (input.action === "adopt" && live !== undefined) {
    notes.push(
      input.ownershipKnown
        ? `adopts live ${kind} #${live.remoteId} ${JSON.stringify(live.name)}, matched by name; ownership will be recorded`
        : `matches live ${kind} #${live.remoteId} ${JSON.stringify(live.name)} by name; ownership is unknown to this backend`,
    );
  }
  for (const d of diffs.filter(isHiding)) {
    const [first, option, third, choice] = d.segments;
    if (kind === "ConfigOptionGroup" && first === "options" && option !== undefined) {
      if (d.segments.length === 3) {
        const retired = input.retired?.options.includes(option) ?? false;
        notes.push(`option ${JSON.stringify(option)} ${retired ? "retired (hidden), not deleted" : "hidden from the order form"}`);
      } else if (third === "choices" && choice !== undefined && d.segments.length === 5) {
        const retired = input.retired?.choices.some(([o, c]) => o === option && c === choice) ?? false;
        notes.push(
          `choice ${JSON.stringify(choice)} of option ${JSON.stringify(option)} ${retired ? "retired (hidden), not deleted" : "hidden from the order form"}`,
        );
      }
    } else if (d.segments.length === 1 && input.action !== "create") {
      notes.push(`hidden from the order form; existing services are not affected`);
    }
  }
  if (kind === "ConfigOptionGroup" && input.action !== "create" && diffs.some(isPricingDiff)) {
    notes.push("option prices change: revenue impact is not computed (it depends on each service's quantities)");
  }
  if (input.freePricingIgnored) notes.push("payType free: pricing is not compared");
  return notes;
}
