import { RequestError, type Octokit } from "octokit";
import { ExitCode, ReconcileError } from "../core/errors.js";
import { changesFromComment, checksumFromComment, isPlanComment } from "./comment.js";

export interface Repo {
  readonly owner: string;
  readonly repo: string;
}

/** The login of the Actions GITHUB_TOKEN's comments, the default of the `bot-login` input. */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

/**
 * Who the token writes comments as. `GET /user` answers for a personal access token; an
 * installation token (the Actions GITHUB_TOKEN, a GitHub App's token) gets 403 there, and then
 * `botLogin` (the `bot-login` input, `github-actions[bot]` by default) is that identity.
 */
export async function tokenIdentity(octokit: Octokit, botLogin: string): Promise<string> {
  try {
    const me = await octokit.rest.users.getAuthenticated();
    return me.data.login;
  } catch (err) {
    if (err instanceof RequestError && err.status === 403) return botLogin;
    throw err;
  }
}

interface IssueComment {
  readonly id: number;
  readonly body?: string | undefined;
  readonly user?: { readonly login: string } | null | undefined;
}

/** The plan comment `login` wrote on the issue: the first comment with the marker by that author. */
async function ownPlanComment(octokit: Octokit, repo: Repo, issue: number, login: string): Promise<IssueComment | undefined> {
  const comments: IssueComment[] = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 });
  return comments.find((c) => c.user?.login === login && isPlanComment(c.body));
}

/** Create the plan comment, or update the one a previous run left (its marker, written by `login`). */
export async function upsertPlanComment(octokit: Octokit, repo: Repo, issue: number, body: string, login: string): Promise<{ id: number; created: boolean }> {
  const mine = await ownPlanComment(octokit, repo, issue, login);
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
  /** The reviewed plan's changes as sorted `key:action` entries (absent in comments without them). */
  readonly changes: readonly string[] | undefined;
}

interface PullSummary {
  readonly number: number;
  readonly merged_at: string | null;
  readonly merge_commit_sha: string | null;
  readonly base: { readonly ref: string };
}

/** Why a pull request's plan is not the one to apply; the later the gate, the more relevant. */
const GATES = ["action.pr-not-merged", "action.pr-other-branch", "action.merge-not-ancestor", "action.no-reviewed-plan"] as const;

export type ReviewLookup =
  | { readonly found: true; readonly plan: ReviewedPlan }
  | { readonly found: false; readonly code: string; readonly reason: string; readonly pullRequest?: number };

/** Whether `ancestor` is `head` or one of its ancestors (the compare API: `identical` or `ahead`). */
export async function isAncestor(octokit: Octokit, repo: Repo, ancestor: string, head: string): Promise<boolean> {
  try {
    const cmp = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${ancestor}...${head}`, per_page: 1 });
    return cmp.data.status === "identical" || cmp.data.status === "ahead";
  } catch (err) {
    if (err instanceof RequestError && err.status === 404) return false;
    throw err;
  }
}

/**
 * Check one pull request against every gate: merged, into `branch`, its merge commit `sha` or
 * an ancestor of it, and a plan comment with a checksum written by `login`.
 */
async function checkPull(octokit: Octokit, repo: Repo, pr: PullSummary, sha: string, branch: string, login: string): Promise<ReviewLookup> {
  const refuse = (code: (typeof GATES)[number], reason: string): ReviewLookup => ({ found: false, code, reason, pullRequest: pr.number });
  if (!pr.merged_at) return refuse("action.pr-not-merged", `pull request #${pr.number} is not merged`);
  if (pr.base.ref !== branch) return refuse("action.pr-other-branch", `pull request #${pr.number} was merged into ${pr.base.ref}, not ${branch}`);
  if (!pr.merge_commit_sha || !(await isAncestor(octokit, repo, pr.merge_commit_sha, sha))) {
    return refuse("action.merge-not-ancestor", `the merge commit of pull request #${pr.number} is not ${sha.slice(0, 12)} nor an ancestor of it on ${branch}`);
  }
  const comment = await ownPlanComment(octokit, repo, pr.number, login);
  const checksum = comment?.body ? checksumFromComment(comment.body) : undefined;
  if (!comment?.body || !checksum) return refuse("action.no-reviewed-plan", `pull request #${pr.number} has no plan comment written by ${login}`);
  return { found: true, plan: { pullRequest: pr.number, checksum, changes: changesFromComment(comment.body) } };
}

/**
 * The plan reviewed for the push of `sha` to `branch`: the checksum in the plan comment the
 * token's own identity (`login`) wrote on a pull request merged into `branch` whose merge commit
 * is `sha` or an ancestor of it. When none qualifies, the refusal of the pull request that got
 * furthest through the gates (so it can be told), or "no pull request" when the commit has none.
 */
export async function reviewedPlanFor(octokit: Octokit, repo: Repo, sha: string, branch: string, login: string): Promise<ReviewLookup> {
  const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha, per_page: 100 });
  let best: ReviewLookup | undefined;
  for (const pr of pulls.data) {
    const r = await checkPull(octokit, repo, pr, sha, branch, login);
    if (r.found) return r;
    if (best === undefined || (!best.found && GATES.indexOf(r.code as (typeof GATES)[number]) > GATES.indexOf(best.code as (typeof GATES)[number]))) best = r;
  }
  return best ?? { found: false, code: "action.no-reviewed-plan", reason: `no pull request produced ${sha.slice(0, 12)}` };
}

/** The reviewed plan of one named pull request (apply-remaining), through the same gates. */
export async function reviewedPlanOf(octokit: Octokit, repo: Repo, pullRequest: number, sha: string, branch: string, login: string): Promise<ReviewLookup> {
  let pr: PullSummary;
  try {
    pr = (await octokit.rest.pulls.get({ ...repo, pull_number: pullRequest })).data;
  } catch (err) {
    if (err instanceof RequestError && err.status === 404) {
      throw new ReconcileError("action.input", `pull request #${pullRequest} does not exist in ${repo.owner}/${repo.repo}`, ExitCode.error);
    }
    throw err;
  }
  return checkPull(octokit, repo, pr, sha, branch, login);
}

export async function commentOn(octokit: Octokit, repo: Repo, issue: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body });
}
