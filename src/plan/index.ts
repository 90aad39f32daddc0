/**
 * The plan engine: a pure, deterministic diff of desired against live catalog state, and the
 * safety rules over its result. No I/O: inputs come in as values.
 */
export { computePlan, type PlanInput } from "./compute.js";
export { checkSafety, managedCount, type SafetyOptions, type SafetyResult } from "./safety.js";
export { checksumOf, verifyChecksum } from "./checksum.js";
export { diffStates, fieldDiffs, type SegmentDiff } from "./diff.js";
export { formatPath, parsePath } from "./path.js";
export { PlanErrorCode, type Ambiguity } from "./errors.js";
export { divideHalfEven, revenueTotals, type CycleRevenueImpact, type RevenueTotal } from "./revenue.js";
