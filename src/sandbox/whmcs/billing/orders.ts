import { randomInt } from "node:crypto";

/** A new `tblorders.ordernum`: a random ten-digit number, like WHMCS's. */
export function newOrderNumber(): number {
  return randomInt(1_000_000_000, 10_000_000_000);
}
