import { createHash } from "node:crypto";
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
  /** Pull requests opened through the API carry these; `state` defaults to closed when merged, else open. */
  head?: { ref: string };
  title?: string;
  body?: string;
  state?: "open" | "closed";
  user?: string;
}

/** A commit of the git data API: its tree (path → blob sha), parents and message. */
export interface FakeGitCommit {
  tree: string;
  parents: string[];
  message: string;
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
  let nextPull = 1;
  /** Git data: blobs (sha → text), trees (sha → path → blob sha), commits, refs (`heads/x` → sha). */
  const blobs = new Map<string, string>();
  const trees = new Map<string, Map<string, string>>();
  const gitCommits = new Map<string, FakeGitCommit>();
  const refs = new Map<string, string>();
  const hash = (kind: string, text: string): string => createHash("sha1").update(`${kind}\0${text}`).digest("hex");
  const putTree = (files: Map<string, string>): string => {
    const sha = hash("tree", JSON.stringify([...files].sort()));
    trees.set(sha, files);
    return sha;
  };
  const putCommit = (c: FakeGitCommit): string => {
    const sha = hash("commit", `${JSON.stringify(c)}${nextId++}`);
    gitCommits.set(sha, c);
    parents.set(sha, c.parents);
    return sha;
  };
  const commitToApi = (sha: string, c: FakeGitCommit) => ({ sha, message: c.message, tree: { sha: c.tree }, parents: c.parents.map((p) => ({ sha: p })) });
  const refName = (raw: string): string => decodeURIComponent(raw).replace(/^refs\//, "");

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
  const pullToApi = (p: FakePull) => ({
    number: p.number,
    state: p.state ?? (p.merged_at ? "closed" : "open"),
    merged_at: p.merged_at,
    merge_commit_sha: p.merge_commit_sha,
    base: p.base,
    head: p.head ?? { ref: `pr-${p.number}` },
    title: p.title ?? "",
    body: p.body ?? "",
    user: { login: p.user ?? identity.login },
  });

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
      if (m && (req.method === "GET" || req.method === "PATCH")) {
        const p = pulls.find((x) => x.number === Number(m?.[1]));
        if (!p) return send(res, 404, { message: "Not Found" });
        if (req.method === "PATCH") {
          const b = (await readBody(req)) as { title?: string; body?: string; state?: string };
          if (b.title !== undefined) p.title = b.title;
          if (b.body !== undefined) p.body = b.body;
          if (b.state === "open" || b.state === "closed") p.state = b.state;
        }
        return send(res, 200, pullToApi(p));
      }
      if (/^\/repos\/[^/]+\/[^/]+\/pulls$/.test(url.pathname)) {
        if (req.method === "GET") {
          const state = url.searchParams.get("state") ?? "open";
          const head = url.searchParams.get("head");
          const base = url.searchParams.get("base");
          const listed = pulls.filter(
            (p) => (state === "all" || pullToApi(p).state === state) && (head === null || head.endsWith(`:${p.head?.ref ?? ""}`)) && (base === null || p.base.ref === base),
          );
          return send(res, 200, listed.map(pullToApi));
        }
        if (req.method === "POST") {
          const b = (await readBody(req)) as { title?: string; body?: string; head?: string; base?: string };
          if (!b.title || !b.head || !b.base || !refs.has(`heads/${b.head}`)) return send(res, 422, { message: "Validation Failed" });
          const p: FakePull = { number: nextPull++, merged_at: null, merge_commit_sha: null, base: { ref: b.base }, commits: [], head: { ref: b.head }, title: b.title, body: b.body ?? "", state: "open" };
          pulls.push(p);
          return send(res, 201, pullToApi(p));
        }
      }
      m = /^\/repos\/[^/]+\/[^/]+\/git\/ref\/(.+)$/.exec(url.pathname);
      if (m && req.method === "GET") {
        const name = refName(m[1] ?? "");
        const sha = refs.get(name);
        return sha ? send(res, 200, { ref: `refs/${name}`, object: { sha, type: "commit" } }) : send(res, 404, { message: "Not Found" });
      }
      if (/^\/repos\/[^/]+\/[^/]+\/git\/refs$/.test(url.pathname) && req.method === "POST") {
        const b = (await readBody(req)) as { ref?: string; sha?: string };
        const name = refName(b.ref ?? "");
        if (!b.ref?.startsWith("refs/") || !b.sha || !gitCommits.has(b.sha)) return send(res, 422, { message: "Validation Failed" });
        if (refs.has(name)) return send(res, 422, { message: "Reference already exists" });
        refs.set(name, b.sha);
        return send(res, 201, { ref: `refs/${name}`, object: { sha: b.sha, type: "commit" } });
      }
      m = /^\/repos\/[^/]+\/[^/]+\/git\/refs\/(.+)$/.exec(url.pathname);
      if (m && (req.method === "PATCH" || req.method === "DELETE")) {
        const name = refName(m[1] ?? "");
        const old = refs.get(name);
        if (old === undefined) return send(res, 422, { message: "Reference does not exist" });
        if (req.method === "DELETE") {
          refs.delete(name);
          res.writeHead(204);
          return res.end();
        }
        const b = (await readBody(req)) as { sha?: string; force?: boolean };
        if (!b.sha || !gitCommits.has(b.sha)) return send(res, 422, { message: "Object does not exist" });
        if (b.force !== true && !isAncestor(old, b.sha)) return send(res, 422, { message: "Update is not a fast forward" });
        refs.set(name, b.sha);
        return send(res, 200, { ref: `refs/${name}`, object: { sha: b.sha, type: "commit" } });
      }
      if (/^\/repos\/[^/]+\/[^/]+\/git\/blobs$/.test(url.pathname) && req.method === "POST") {
        const b = (await readBody(req)) as { content?: string; encoding?: string };
        const text = b.encoding === "base64" ? Buffer.from(b.content ?? "", "base64").toString("utf8") : (b.content ?? "");
        const sha = hash("blob", text);
        blobs.set(sha, text);
        return send(res, 201, { sha });
      }
      if (/^\/repos\/[^/]+\/[^/]+\/git\/trees$/.test(url.pathname) && req.method === "POST") {
        const b = (await readBody(req)) as { base_tree?: string; tree?: { path: string; sha: string | null; content?: string }[] };
        const base = b.base_tree === undefined ? new Map<string, string>() : trees.get(b.base_tree);
        if (base === undefined) return send(res, 422, { message: "Invalid tree info" });
        const files = new Map(base);
        for (const e of b.tree ?? []) {
          if (e.sha === null) files.delete(e.path);
          else if (e.content !== undefined) {
            const sha = hash("blob", e.content);
            blobs.set(sha, e.content);
            files.set(e.path, sha);
          } else if (blobs.has(e.sha)) files.set(e.path, e.sha);
          else return send(res, 422, { message: "Invalid tree info" });
        }
        const sha = putTree(files);
        return send(res, 201, { sha, tree: [...files].map(([path, s]) => ({ path, mode: "100644", type: "blob", sha: s })) });
      }
      if (/^\/repos\/[^/]+\/[^/]+\/git\/commits$/.test(url.pathname) && req.method === "POST") {
        const b = (await readBody(req)) as { message?: string; tree?: string; parents?: string[] };
        if (!b.message || !b.tree || !trees.has(b.tree) || (b.parents ?? []).some((p) => !gitCommits.has(p))) return send(res, 422, { message: "Validation Failed" });
        const c = { tree: b.tree, parents: b.parents ?? [], message: b.message };
        const sha = putCommit(c);
        return send(res, 201, commitToApi(sha, c));
      }
      m = /^\/repos\/[^/]+\/[^/]+\/git\/commits\/([0-9a-f]+)$/.exec(url.pathname);
      if (m && req.method === "GET") {
        const c = gitCommits.get(m[1] ?? "");
        return c ? send(res, 200, commitToApi(m[1] ?? "", c)) : send(res, 404, { message: "Not Found" });
      }
      m = /^\/repos\/[^/]+\/[^/]+\/git\/trees\/([0-9a-f]+)$/.exec(url.pathname);
      if (m && req.method === "GET") {
        const t = trees.get(m[1] ?? "");
        if (!t) return send(res, 404, { message: "Not Found" });
        return send(res, 200, { sha: m[1], truncated: false, tree: [...t].sort().map(([path, sha]) => ({ path, mode: "100644", type: "blob", sha })) });
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
    /** A commit of the git data API with these files (the default branch's head a run starts from). */
    gitCommit(sha: string, files: Readonly<Record<string, string>> = {}, parentShas: string[] = []) {
      const map = new Map<string, string>();
      for (const [path, text] of Object.entries(files)) {
        const blob = hash("blob", text);
        blobs.set(blob, text);
        map.set(path, blob);
      }
      gitCommits.set(sha, { tree: putTree(map), parents: parentShas, message: "seed" });
      parents.set(sha, parentShas);
    },
    /** The files of a commit: path → text. */
    filesAt(sha: string): Map<string, string> {
      const c = gitCommits.get(sha);
      const t = c === undefined ? undefined : trees.get(c.tree);
      return new Map([...(t ?? new Map<string, string>())].map(([path, blob]) => [path, blobs.get(blob) ?? ""]));
    },
    gitCommits,
    refs,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
