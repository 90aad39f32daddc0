/**
 * The pipeline every run goes through, for the CLI, the Action and the demo alike:
 * load → read live state → plan → check → apply → verify. Stages are exported for callers that
 * need one of them (a pull request plans twice; the bench plans only).
 */
export {
  applyGate,
  applyStage,
  applyWork,
  checkStage,
  planOf,
  planStage,
  runPipeline,
  verifyStage,
  type ApplyStageOptions,
  type CheckOptions,
  type PipelineHooks,
  type PipelineOutcome,
  type PipelineRequest,
  type PipelineStatus,
  type PlannedRun,
  type RunOptions,
} from "./run.js";
export { requireZohoFor, targetsFor, type Targets } from "./targets.js";
