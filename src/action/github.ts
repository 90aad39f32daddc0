import type { Octokit } from "octokit";
import { checksumFromComment, isPlanComment } from "./comment.js";

export interface Repo {
  readonly owner: string;
  readonly repo: string;
}

/** Create the plan comment, or update the one a previous run left (found by its hidden marker). */
export async function upsertPlanComment(octokit: Octokit, repo: Repo, issue: number, body: string): Promise<{ id: number; created: boolean }> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 });
  const mine = comments.find((c) => isPlanComment(c.body));
  if (mine) {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: mine.id, body });
    return { id: mine.id, created: false };
  }
  const created = await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body });
  return { id: created.data.id, created: true };
}

export interface ReviewedPlan {
  readonly pullRequest: number;
  readonly checksum: string;
}

/**
 * The plan reviewed for the pull request merged as `sha`: its sticky comment's checksum.
 * Undefined when the commit came from no merged pull request or the comment has no checksum.
 */
export async function reviewedPlanFor(octokit: Octokit, repo: Repo, sha: string, baseBranch: string): Promise<ReviewedPlan | undefined> {
  const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha, per_page: 100 });
  const merged = pulls.data.filter((p) => p.merged_at !== null && p.base.ref === baseBranch);
  for (const pr of merged) {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: pr.number, per_page: 100 });
    const body = comments.find((c) => isPlanComment(c.body))?.body;
    const checksum = body ? checksumFromComment(body) : undefined;
    if (checksum) return { pullRequest: pr.number, checksum };
  }
  return undefined;
}

export async function commentOn(octokit: Octokit, repo: Repo, issue: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body });
}
