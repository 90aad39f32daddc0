import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeComment {
  id: number;
  body: string;
  /** Who wrote it; comments the token writes get the token's identity. */
  user: string;
}

export interface FakePull {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string | null;
  base: { ref: string };
  /** Commits for which `GET /repos/{o}/{r}/commits/{sha}/pulls` lists this pull request. */
  commits: string[];
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason: string | null;
  labels: string[];
  /** Who opened it; issues the token opens get the token's identity. */
  user: string;
}

export interface FakeGitHubOptions {
  /**
   * Who the token is. `installation` (the Actions GITHUB_TOKEN, a GitHub App token): `GET /user`
   * answers 403 "Resource not accessible by integration" and comments are written as `login`.
   * `user` (a personal access token): `GET /user` answers `login`.
   */
  readonly identity?: { readonly kind: "installation" | "user"; readonly login: string };
  /** What `GET /repos/{o}/{r}` says the default branch is. */
  readonly defaultBranch?: string;
}

/**
 * The handful of GitHub REST endpoints the Action uses, on loopback, with the real paths and
 * response shapes (the authenticated user, the repository, issues and their comments, pulls of a
 * commit, one pull, and the compare of two commits over a commit graph). Requests are recorded for
 * assertions.
 */
export async function startFakeGitHub(token: string, options: FakeGitHubOptions = {}) {
  const identity = options.identity ?? { kind: "installation", login: "github-actions[bot]" };
  const comments = new Map<number, FakeComment[]>();
  const pulls: FakePull[] = [];
  const issues: FakeIssue[] = [];
  let nextIssue = 100;
  /** Commit graph: sha → parent shas. Compare answers from it (404 for a sha it does not hold). */
  const parents = new Map<string, string[]>();
  const requests: { method: string; path: string }[] = [];
  let nextId = 1000;

  const isAncestor = (a: string, b: string): boolean => {
    const seen = new Set<string>();
    const queue = [b];
    while (queue.length > 0) {
      const c = queue.shift() as string;
      if (c === a) return true;
      if (seen.has(c)) continue;
      seen.add(c);
      queue.push(...(parents.get(c) ?? []));
    }
    return false;
  };
  const compareStatus = (base: string, head: string) =>
    base === head ? "identical" : isAncestor(base, head) ? "ahead" : isAncestor(head, base) ? "behind" : "diverged";
  const pullToApi = (p: FakePull) => ({ number: p.number, state: p.merged_at ? "closed" : "open", merged_at: p.merged_at, merge_commit_sha: p.merge_commit_sha, base: p.base });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    return text ? (JSON.parse(text) as { body?: string; title?: string; state?: string; state_reason?: string; labels?: string[] }) : {};
  };
  const toApi = (c: FakeComment) => ({ id: c.id, body: c.body, user: { login: c.user } });
  const issueToApi = (i: FakeIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason,
    labels: i.labels.map((name) => ({ name })),
    user: { login: i.user },
  });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      requests.push({ method: req.method ?? "GET", path: url.pathname });
      if (req.headers.authorization !== `token ${token}`) return send(res, 401, { message: "Bad credentials" });
      if (url.pathname === "/user" && req.method === "GET") {
        if (identity.kind === "installation") {
          return send(res, 403, { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/users/users#get-the-authenticated-user", status: "403" });
        }
        return send(res, 200, { login: identity.login, type: "User" });
      }
      if (/^\/repos\/[^/]+\/[^/]+$/.test(url.pathname) && req.method === "GET") {
        return send(res, 200, { default_branch: options.defaultBranch ?? "main", full_name: url.pathname.slice("/repos/".length) });
      }
      if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(url.pathname)) {
        if (req.method === "GET") {
          const state = url.searchParams.get("state") ?? "open";
          const creator = url.searchParams.get("creator");
          const labels = (url.searchParams.get("labels") ?? "").split(",").filter((l) => l !== "");
          const page = Number(url.searchParams.get("page") ?? "1");
          const per = Number(url.searchParams.get("per_page") ?? "30");
          const listed = issues
            .filter((i) => (state === "all" || i.state === state) && (creator === null || i.user === creator) && labels.every((l) => i.labels.includes(l)))
            .sort((a, b) => b.number - a.number);
          return send(res, 200, listed.slice((page - 1) * per, page * per).map(issueToApi));
        }
        if (req.method === "POST") {
          const b = await readBody(req);
          if (typeof b.title !== "string" || b.title === "") return send(res, 422, { message: "Validation Failed" });
          const issue: FakeIssue = { number: nextIssue++, title: b.title, body: String(b.body ?? ""), state: "open", state_reason: null, labels: b.labels ?? [], user: identity.login };
          issues.push(issue);
          return send(res, 201, issueToApi(issue));
        }
      }
      let m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(url.pathname);
      if (m && (req.method === "PATCH" || req.method === "GET")) {
        const issue = issues.find((i) => i.number === Number(m?.[1]));
        if (!issue) return send(res, 404, { message: "Not Found" });
        if (req.method === "PATCH") {
          const b = await readBody(req);
          if (b.title !== undefined) issue.title = b.title;
          if (b.body !== undefined) issue.body = b.body;
          if (b.labels !== undefined) issue.labels = b.labels;
          if (b.state === "open" || b.state === "closed") {
            issue.state = b.state;
            issue.state_reason = b.state === "closed" ? (b.state_reason ?? "completed") : "reopened";
          }
        }
        return send(res, 200, issueToApi(issue));
      }
      m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (m) {
        const issue = Number(m[1]);
        const list = comments.get(issue) ?? [];
        if (req.method === "GET") {
          const page = Number(url.searchParams.get("page") ?? "1");
          const per = Number(url.searchParams.get("per_page") ?? "30");
          return send(res, 200, list.slice((page - 1) * per, page * per).map(toApi));
        }
        if (req.method === "POST") {
          const c = { id: nextId++, body: String((await readBody(req)).body), user: identity.login };
          comments.set(issue, [...list, c]);
          return send(res, 201, toApi(c));
        }
      }
      m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (m && req.method === "PATCH") {
        const id = Number(m[1]);
        for (const list of comments.values()) {
          const c = list.find((x) => x.id === id);
          if (c && c.user !== identity.login) return send(res, 403, { message: "Resource not accessible by integration" });
          if (c) {
            c.body = String((await readBody(req)).body);
            return send(res, 200, toApi(c));
          }
        }
        return send(res, 404, { message: "Not Found" });
      }
      m = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/pulls$/.exec(url.pathname);
      if (m && req.method === "GET") {
        return send(res, 200, pulls.filter((p) => p.commits.includes(m?.[1] ?? "")).map(pullToApi));
      }
      m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/.exec(url.pathname);
      if (m && req.method === "GET") {
        const p = pulls.find((x) => x.number === Number(m?.[1]));
        return p ? send(res, 200, pullToApi(p)) : send(res, 404, { message: "Not Found" });
      }
      m = /^\/repos\/[^/]+\/[^/]+\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)$/.exec(url.pathname);
      if (m && req.method === "GET") {
        const [base = "", head = ""] = [m[1], m[2]];
        if (!parents.has(base) || !parents.has(head)) return send(res, 404, { message: "Not Found" });
        return send(res, 200, { status: compareStatus(base, head), merge_base_commit: {}, commits: [], files: [] });
      }
      send(res, 404, { message: "Not Found" });
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    pulls,
    issues,
    parents,
    /** Add a commit to the graph. */
    commit(sha: string, ...parentShas: string[]) {
      parents.set(sha, parentShas);
    },
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
