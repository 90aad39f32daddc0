import type { FullPlanInput } from "../../src/plan/customers/index.js";
import { convergedParts, customerOrg, customerSource, fullInput, liveClient, liveCustomers, liveOrg, liveService, paid, records, WORKPLACE_PID } from "./builders.js";

/**
 * A reseller's customers on an ordinary day: a new customer, one growing, one shrinking, a trial
 * that converts, a move to another plan, a suspension, a termination, a domain still waiting for
 * DNS, and things nobody declared.
 */
export function realisticCustomers(): FullPlanInput {
  const grow = convergedParts("growco", 1);
  const shrink = convergedParts("shrinkco", 2);
  const trial = convergedParts("trialco", 3);
  const mover = convergedParts("moverco", 4);
  const late = convergedParts("lateco", 5);
  const gone = convergedParts("goneco", 6);
  const waiting = convergedParts("waitco", 7);
  const desired = [
    customerOrg("newco", {}, customerSource(1)),
    customerOrg("growco", { mailboxes: 40 }, customerSource(20)),
    customerOrg("shrinkco", { mailboxes: 10 }, customerSource(40)),
    customerOrg("trialco", { product: "workplace-standard", mailboxes: 12 }, customerSource(60)),
    customerOrg("moverco", { product: "workplace-standard" }, customerSource(80)),
    customerOrg("lateco", { status: "suspended" }, customerSource(100)),
    customerOrg("goneco", { status: "terminated" }, customerSource(120)),
    customerOrg("waitco", {}, customerSource(140)),
  ];
  const live = liveCustomers({
    clients: [grow.client, shrink.client, trial.client, mover.client, late.client, gone.client, waiting.client, liveClient("90", "someone@else.example")],
    services: [
      grow.service,
      shrink.service,
      { ...trial.service, productId: WORKPLACE_PID, mailboxes: 12 },
      mover.service,
      late.service,
      gone.service,
      { ...waiting.service, customFields: records({ zoid: waiting.org.zoid, superAdmin: "it@waitco.example", verified: "false", verificationCode: "zb60906216" }) },
      liveService("190", "90", "else.example"),
    ],
    zohoOrgs: [
      grow.org,
      shrink.org,
      { ...trial.org, plan: { type: "trial", trialPlan: "basicTrial" }, licenseCount: 5 },
      mover.org,
      late.org,
      { ...gone.org, plan: paid(17033, "yearly", 25, "Mail Lite") },
      { ...waiting.org, verified: false, cnameCode: "zb60906216" },
      liveOrg("8000001", "stray.example", { plan: { type: "free" } }),
    ],
  });
  return fullInput(desired, live);
}
