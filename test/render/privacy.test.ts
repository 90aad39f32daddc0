import { describe, expect, it } from "vitest";
import { checksumFromComment, commentBody } from "../../src/action/comment.js";
import type { Plan } from "../../src/model/plan.js";
import { computeFullPlan } from "../../src/plan/customers/index.js";
import { GITHUB_COMMENT_LIMIT, PLAN_COMMENT_MARKER, renderJson, renderMarkdown, renderText } from "../../src/render/index.js";
import { moneyLine, summaryLine } from "../../src/render/format.js";
import { convergedParts, customerOrg, customerSource, fullInput, liveClient, liveCustomers, liveOrg, liveService } from "../customers/builders.js";
import type { DesiredCustomerResource } from "../../src/plan/customers/index.js";
import type { LiveCustomerClient, LiveCustomerService, LiveZohoOrg } from "../../src/model/customers.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const FIRST = ["Marguerite", "Oluwaseun", "Thorvald", "Ignatius", "Perpetua", "Radomir", "Wilhelmina", "Anastazja", "Bartholomew", "Ximena"];
const LAST = ["Quennell", "Okonkwo-Bray", "Halvorsen", "Pemberton", "Zabludowski", "Ferreira", "Vanderbeek", "Lindqvist"];

interface Person {
  readonly name: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string;
}

function person(i: number): Person {
  const name = `cust${String(i).padStart(2, "0")}`;
  return {
    name,
    email: `${FIRST[i % FIRST.length]?.toLowerCase()}.${i}@${name}-mail.example`,
    firstName: `${FIRST[i % FIRST.length]}${i}`,
    lastName: `${LAST[i % LAST.length]}${i}`,
    company: `${LAST[(i + 3) % LAST.length]} Holdings ${i}`,
  };
}

/**
 * Forty declared customers (twenty new, twenty live with changes: more mailboxes, a suspension, a
 * client whose WHMCS name differs from the manifest, a super admin who is not the client), an
 * existing client reused for a new org, and thirty customers nobody declared.
 */
function fortyCustomers(): { plan: Plan; people: Person[]; undeclared: string[] } {
  const people = Array.from({ length: 40 }, (_, i) => person(i));
  const desired: DesiredCustomerResource[] = [];
  const clients: LiveCustomerClient[] = [];
  const services: LiveCustomerService[] = [];
  const orgs: LiveZohoOrg[] = [];
  people.forEach((p, i) => {
    const client = { email: p.email, firstName: p.firstName, lastName: p.lastName, company: p.company };
    desired.push(customerOrg(p.name, { client, mailboxes: 10 + i, ...(i % 7 === 3 ? { status: "suspended" as const } : {}) }, customerSource(1 + i * 20)));
    if (i < 20) {
      if (i === 5) clients.push(liveClient(String(500 + i), p.email, { firstName: p.firstName, lastName: p.lastName, company: p.company }));
      return;
    }
    const parts = convergedParts(p.name, i);
    const names = i === 21 ? { firstName: "Mortimer", lastName: "Quarrington", company: "Quarrington Old Name Ltd" } : { firstName: p.firstName, lastName: p.lastName, company: p.company };
    clients.push({ ...parts.client, email: p.email, ...names });
    services.push(parts.service);
    orgs.push(i === 22 ? { ...parts.org, superAdmin: `postmaster.${i}@${p.name}-mail.example` } : { ...parts.org, superAdmin: p.email });
  });
  const undeclared: string[] = [];
  for (let j = 0; j < 30; j++) {
    const domain = `undeclared${j}-shop.example`;
    undeclared.push(domain);
    clients.push(liveClient(String(900 + j), `owner${j}@${domain}`, { firstName: `Hieronymus${j}`, lastName: `Undeclared${j}` }));
    services.push(liveService(String(1900 + j), String(900 + j), domain));
    orgs.push(liveOrg(String(8_100_000 + j), `zoho-only${j}.example`));
    undeclared.push(`zoho-only${j}.example`);
  }
  const plan = computeFullPlan(fullInput(desired, liveCustomers({ clients, services, zohoOrgs: orgs })));
  return { plan, people, undeclared };
}

/** Every customer e-mail, first name, last name and company (and live-only values) found in `text`. */
function leaks(text: string, people: readonly Person[], liveOnly = true): string[] {
  const values = people.flatMap((p) => [p.email, p.firstName, p.lastName, p.company]);
  if (liveOnly) values.push("Mortimer", "Quarrington", "Quarrington Old Name Ltd", "postmaster.22@cust22-mail.example");
  return values.filter((v) => text.includes(v));
}

describe("what leaves the runner is private by default", () => {
  const { plan, people, undeclared } = fortyCustomers();
  const comment = commentBody(plan, { refusals: [], sha: SHA, runUrl: "https://github.example/acme/email/actions/runs/42" });

  it("the plan has the forty customers, the warning about a client's name and the undeclared ones", () => {
    expect(plan.changes.filter((c) => c.kind === "CustomerOrg" && c.action !== "noop").length).toBeGreaterThanOrEqual(40);
    expect(plan.warnings.some((w) => w.includes("Mortimer"))).toBe(true);
    expect(plan.unmanaged.length).toBe(60);
    // The JSON plan (the uploaded artifact) keeps every value in full.
    expect(leaks(renderJson(plan), people)).toHaveLength(people.length * 4 + 4);
  });

  it("the comment, the job summary and the job log (Markdown and text) name no customer", () => {
    expect(leaks(comment, people)).toEqual([]);
    expect(leaks(renderMarkdown(plan), people)).toEqual([]);
    expect(leaks(renderText(plan), people)).toEqual([]);
    // No e-mail address but masked ones: a local part is one letter and bullets.
    for (const text of [comment, renderText(plan)]) {
      for (const m of text.matchAll(/[^\s"`(|>]+@[A-Za-z0-9.-]+\.[a-z]+/g)) expect(m[0], m[0]).toMatch(/^.\u2022\u2022\u2022\d*@/);
    }
  });

  it("undeclared customers are counted, not listed", () => {
    for (const text of [comment, renderText(plan)]) {
      expect(undeclared.filter((d) => text.includes(d))).toEqual([]);
      expect(text).toContain("30 customer WHMCS services that no manifest declares (unmanaged)");
      expect(text).toContain("30 customer Zoho orgs that no WHMCS service records (unmanaged)");
    }
  });

  it("masks are stable: one customer reads the same everywhere, two customers never alike", () => {
    const p = people[4] as Person;
    const masked = `${p.email[0]}\u2022\u2022\u2022@${p.email.split("@")[1]}`;
    expect(comment).toContain(masked);
    // client.email, zoho.superAdmin and records.superAdmin of a new org: one mask.
    const same = renderText(plan).split("\n").filter((l) => l.includes(masked));
    expect(same.length).toBeGreaterThanOrEqual(3);
    expect(renderText(plan)).toMatch(new RegExp(`client\\.firstName: "${p.firstName[0]}\u2022\u2022\u2022\\d*"`));
    // Two e-mails that would mask alike get a number.
    const twins = computeFullPlan(
      fullInput(
        [
          customerOrg("twin-a", { client: { email: "it@twins.example", firstName: "Ada", lastName: "Byron", company: "Twins" } }),
          customerOrg("twin-b", { client: { email: "info@twins.example", firstName: "Ada", lastName: "Bell", company: "Twins" } }),
        ],
        liveCustomers(),
      ),
    );
    const text = renderText(twins);
    expect(text).toContain("i\u2022\u2022\u2022@twins.example");
    expect(text).toContain("i\u2022\u2022\u20222@twins.example");
  });

  it("--show-pii shows every customer in full (the same scan finds them)", () => {
    const text = renderText(plan, { showPii: true });
    const md = renderMarkdown(plan, { showPii: true, maxLength: 10 ** 7 });
    // New customers show every value; existing ones what the plan says about them.
    const created = people.slice(0, 20);
    expect(leaks(text, created, false)).toHaveLength(created.length * 4);
    expect(leaks(md, created, false)).toHaveLength(created.length * 4);
    expect(leaks(text, people).length).toBeGreaterThan(created.length * 4);
    expect(text).toContain("Mortimer");
    expect(undeclared.filter((d) => text.includes(d))).toEqual(undeclared);
  });
});

describe("readable plans", () => {
  it("48 new orgs fit in well under 30,000 characters, nothing summarised, each note said once", () => {
    const desired = Array.from({ length: 48 }, (_, i) =>
      customerOrg(`neworg${String(i).padStart(2, "0")}`, { mailboxes: 5 + (i % 12), ...(i % 3 === 0 ? { product: "workplace-standard", billingCycle: "monthly", plan: { type: "paid", payPeriod: "monthly" } } : {}) }, customerSource(1 + i * 25)),
    );
    const plan = computeFullPlan(fullInput(desired, liveCustomers()));
    expect(plan.summary.create).toBe(48);
    const md = renderMarkdown(plan);
    const body = commentBody(plan, { refusals: [], sha: SHA });
    expect(md).not.toContain("Summarised");
    expect(md.length).toBeLessThan(30_000);
    expect(body.length).toBeLessThan(30_000);
    for (let i = 0; i < 48; i++) expect(md).toContain(`\`neworg${String(i).padStart(2, "0")}\``);
    // Notes every new org has are said once, for all of them.
    const records = "WHMCS records: writes ZOID, super admin and domain verification state to the service's custom fields";
    expect(md.split(records).length - 1).toBe(1);
    expect(md).toContain("all 48 customer orgs in this plan");
    expect(renderText(plan).split(records).length - 1).toBe(1);
  });

  it("5,000 changes fit in one comment: summary, money, checksum marker and checksum intact, blocks whole", () => {
    const desired = Array.from({ length: 5000 }, (_, i) => customerOrg(`bulk${String(i).padStart(4, "0")}`, { mailboxes: 1 + (i % 50) }, customerSource(1 + i * 20)));
    const plan = computeFullPlan(fullInput(desired, liveCustomers()));
    expect(plan.summary.create).toBe(5000);
    const body = commentBody(plan, { refusals: [], sha: SHA, runUrl: "https://github.example/acme/email/actions/runs/42" });
    expect(body.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(body.split("\n")[0]).toBe(PLAN_COMMENT_MARKER);
    expect(checksumFromComment(body)).toBe(plan.checksum);
    expect(body).toContain(`**${summaryLine(plan.summary)}**`);
    expect(body).toContain(`**${moneyLine(plan) as string}**`);
    expect(body).toContain(`Checksum: \`${plan.checksum}\``);
    expect(body).toContain("The full plan is in the `reconcile-plan` artifact of this run.");
    expect(body.match(/<details>/g)?.length ?? 0).toBe(body.match(/<\/details>/g)?.length ?? 0);
    expect(body.match(/<details>/g)?.length ?? 0).toBeGreaterThan(0);
  });
});

describe("source positions", () => {
  it("are relative to the config's folder, and a file's start is the file alone", () => {
    const plan = computeFullPlan(
      fullInput(
        [
          customerOrg("first", {}, { file: "/home/runner/work/repo/repo/customers/first.yaml", line: 1, col: 1 }),
          customerOrg("second", {}, { file: "/home/runner/work/repo/repo/customers/all.yaml", line: 14, col: 1 }),
        ],
        liveCustomers(),
      ),
    );
    const md = renderMarkdown(plan, { root: "/home/runner/work/repo/repo" });
    expect(md).not.toContain("/home/runner");
    expect(md).toContain("`customers/first.yaml`");
    expect(md).toContain("`customers/all.yaml:14`");
    expect(md).not.toMatch(/:1:1\b/);
  });
});
