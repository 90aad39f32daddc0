import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeComment {
  id: number;
  body: string;
}

export interface FakePull {
  number: number;
  merged_at: string | null;
  base: { ref: string };
  commits: string[];
}

/**
 * The handful of GitHub REST endpoints the Action uses, on loopback, with the real paths and
 * response shapes (issue comments, pulls of a commit). Requests are recorded for assertions.
 */
export async function startFakeGitHub(token: string) {
  const comments = new Map<number, FakeComment[]>();
  const pulls: FakePull[] = [];
  const requests: { method: string; path: string }[] = [];
  let nextId = 1000;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    return text ? (JSON.parse(text) as { body?: string }) : {};
  };
  const toApi = (c: FakeComment) => ({ id: c.id, body: c.body, user: { login: "github-actions[bot]" } });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      requests.push({ method: req.method ?? "GET", path: url.pathname });
      if (req.headers.authorization !== `token ${token}`) return send(res, 401, { message: "Bad credentials" });
      let m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (m) {
        const issue = Number(m[1]);
        const list = comments.get(issue) ?? [];
        if (req.method === "GET") {
          const page = Number(url.searchParams.get("page") ?? "1");
          const per = Number(url.searchParams.get("per_page") ?? "30");
          return send(res, 200, list.slice((page - 1) * per, page * per).map(toApi));
        }
        if (req.method === "POST") {
          const c = { id: nextId++, body: String((await readBody(req)).body) };
          comments.set(issue, [...list, c]);
          return send(res, 201, toApi(c));
        }
      }
      m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (m && req.method === "PATCH") {
        const id = Number(m[1]);
        for (const list of comments.values()) {
          const c = list.find((x) => x.id === id);
          if (c) {
            c.body = String((await readBody(req)).body);
            return send(res, 200, toApi(c));
          }
        }
        return send(res, 404, { message: "Not Found" });
      }
      m = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/pulls$/.exec(url.pathname);
      if (m && req.method === "GET") {
        return send(res, 200, pulls.filter((p) => p.commits.includes(m?.[1] ?? "")).map((p) => ({ number: p.number, merged_at: p.merged_at, base: p.base })));
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
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
