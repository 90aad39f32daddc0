import type { Plan } from "../model/plan.js";
import { GITHUB_COMMENT_LIMIT, maskerFor, PLAN_COMMENT_MARKER, renderMarkdown } from "../render/index.js";

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
  /** Directory source paths are shown relative to (the config's directory). */
  readonly root?: string;
}

/** The change list is left out of a comment when longer than this: `apply-remaining` then refuses, it never guesses. */
const CHANGE_LIST_BUDGET = 16_000;

/**
 * The sticky pull-request comment: the Markdown plan (which starts with the hidden marker that
 * finds the comment again) plus hidden lines carrying the checksum the merge will apply and the
 * plan's sorted `key:action` changes (what `apply-remaining` may still apply after a partial apply).
 */
export function commentBody(plan: Plan, ctx: CommentContext): string {
  // Entries are URI-encoded: no space, and no ">" that could close the HTML comment early.
  const changes = planChangeList(plan).map(encodeURIComponent).join(" ");
  const listed = changes.length <= CHANGE_LIST_BUDGET;
  const hidden = [
    `<!-- zoho-whmcs-reconcile:checksum ${plan.checksum} -->`,
    ...(listed ? [`<!-- zoho-whmcs-reconcile:changes ${changes}${changes ? " " : ""}-->`] : []),
  ];
  const mask = maskerFor(plan);
  const caution: string[] = [];
  if (ctx.refusals.length > 0) {
    caution.push(
      "> [!CAUTION]",
      "> **The safety policy refuses this plan.** Merging will not apply it.",
      ...ctx.refusals.map((r) => `> - ${mask.prose(r)}`),
      "",
    );
  }
  const footer: string[] = [];
  if (ctx.sha) footer.push(`planned for ${ctx.sha.slice(0, 12)}`);
  if (ctx.runUrl) footer.push(`[workflow run](${ctx.runUrl}) (plan JSON artifact)`);
  if (!listed) footer.push("too many changes to record for `apply-remaining`");
  const end = footer.length > 0 ? ["", `<sub>${footer.join(" · ")} · on merge, exactly this plan is applied, or nothing.</sub>`] : [];
  // The Markdown plan gets what GitHub's limit leaves once the lines around it are in.
  const around = [...hidden, ...caution, ...end].join("\n").length + 8;
  const markdown = renderMarkdown(plan, {
    artifactName: "reconcile-plan",
    maxLength: GITHUB_COMMENT_LIMIT - around,
    ...(ctx.root !== undefined ? { root: ctx.root } : {}),
  });
  const [marker, ...rest] = markdown.split("\n");
  const lines = [marker ?? PLAN_COMMENT_MARKER, ...hidden, ...caution, ...rest, ...end];
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
