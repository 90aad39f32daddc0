import type { Plan } from "../model/plan.js";
import { PLAN_COMMENT_MARKER, renderMarkdown } from "../render/index.js";

const CHECKSUM_IN_COMMENT = /<!-- zoho-whmcs-reconcile:checksum (sha256:[0-9a-f]{64}) -->/;
const CHANGES_IN_COMMENT = /<!-- zoho-whmcs-reconcile:changes ([^\n]*?) ?-->/;

/** A plan's changes (not the unchanged ones) as sorted `key:action` entries. */
export function planChangeList(plan: Plan): string[] {
  return plan.changes
    .filter((c) => c.action !== "noop")
    .map((c) => `${c.key}:${c.action}`)
    .sort();
}

export interface CommentContext {
  /** Safety refusals: shown first, the PR check fails. */
  readonly refusals: readonly string[];
  /** Link to the workflow run (artifact with the plan JSON). */
  readonly runUrl?: string;
  /** Commit the plan was made for. */
  readonly sha?: string;
}

/**
 * The sticky pull-request comment: the Markdown plan (which starts with the hidden marker that
 * finds the comment again) plus hidden lines carrying the checksum the merge will apply and the
 * plan's sorted `key:action` changes (what `apply-remaining` may still apply after a partial apply).
 */
export function commentBody(plan: Plan, ctx: CommentContext): string {
  const markdown = renderMarkdown(plan, { artifactName: "reconcile-plan" });
  const [marker, ...rest] = markdown.split("\n");
  // Entries are URI-encoded: no space, and no ">" that could close the HTML comment early.
  const changes = planChangeList(plan).map(encodeURIComponent).join(" ");
  const lines = [
    marker ?? PLAN_COMMENT_MARKER,
    `<!-- zoho-whmcs-reconcile:checksum ${plan.checksum} -->`,
    `<!-- zoho-whmcs-reconcile:changes ${changes}${changes ? " " : ""}-->`,
  ];
  if (ctx.refusals.length > 0) {
    lines.push(
      "> [!CAUTION]",
      "> **The safety policy refuses this plan.** Merging will not apply it.",
      ...ctx.refusals.map((r) => `> - ${r}`),
      "",
    );
  }
  lines.push(...rest);
  const footer: string[] = [];
  if (ctx.sha) footer.push(`planned for ${ctx.sha.slice(0, 12)}`);
  if (ctx.runUrl) footer.push(`[workflow run](${ctx.runUrl}) (plan JSON artifact)`);
  if (footer.length > 0) lines.push("", `<sub>${footer.join(" · ")} · on merge, exactly this plan is applied, or nothing.</sub>`);
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}

export function isPlanComment(body: string | undefined | null): boolean {
  return typeof body === "string" && body.startsWith(PLAN_COMMENT_MARKER);
}

/** The reviewed checksum recorded in a plan comment, if any. */
export function checksumFromComment(body: string): string | undefined {
  return CHECKSUM_IN_COMMENT.exec(body)?.[1];
}

/** The reviewed plan's sorted `key:action` changes recorded in a plan comment, if recorded. */
export function changesFromComment(body: string): string[] | undefined {
  const m = CHANGES_IN_COMMENT.exec(body);
  if (!m) return undefined;
  try {
    return (m[1] ?? "").split(" ").filter((e) => e !== "").map((e) => decodeURIComponent(e));
  } catch {
    return undefined;
  }
}
