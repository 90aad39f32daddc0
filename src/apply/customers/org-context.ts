import type { Logger } from "../../core/log.js";
import type { CustomerWriter } from "../../model/customer-writer.js";
import type { CustomerOrgState } from "../../model/customers.js";
import type { Change } from "../../model/plan.js";
import type { DesiredCustomerOrg } from "../../model/customer-org.js";
import type { CustomerStep } from "./errors.js";
import type { CustomerApplyOptions } from "./types.js";

/** What every step of one org's apply needs, and where it reports what it wrote. */
export interface OrgContext {
  readonly change: Change;
  readonly after: CustomerOrgState;
  readonly spec: DesiredCustomerOrg;
  readonly opts: CustomerApplyOptions;
  /** The only way the steps reach WHMCS and Zoho. */
  readonly writer: CustomerWriter;
  readonly log: Logger;
  /** WHMCS id of the product the org should be on. */
  readonly productId: string;
  /** WHMCS ids of the `zoho_mail` products (services on others are out of scope). */
  readonly managedPids: ReadonlySet<string>;
  /** Runs `fn` while no other org of the same client email runs its client step. */
  clientLock<T>(email: string, fn: () => Promise<T>): Promise<T>;
  /** Records a write in the journal and the result's step list. */
  wrote(step: CustomerStep, what: string, remoteId?: string): void;
}
