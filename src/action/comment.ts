import type { Plan } from "../model/plan.js";
import { PLAN_COMMENT_MARKER, renderMarkdown } from "../render/index.js";

const CHECKSUM_IN_COMMENT = /<!-- zoho-whmcs-reconcile:checksum (sha256:[0-9a-f]{64}) -->/;

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
 * finds the comment again) plus a second hidden line carrying the checksum the merge will apply.
 */
export function commentBody(plan: Plan, ctx: CommentContext): string {
  const markdown = renderMarkdown(plan, { artifactName: "reconcile-plan" });
  const [marker, ...rest] = markdown.split("\n");
  const lines = [marker ?? PLAN_COMMENT_MARKER, `<!-- zoho-whmcs-reconcile:checksum ${plan.checksum} -->`];
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
