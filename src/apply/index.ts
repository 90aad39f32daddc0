export { applyPlan, type ApplyOptions, type ApplyReport, type ApplyResult, type ApplyStatus } from "./apply.js";
export { fileJournal, memoryJournal, type Journal, type JournalEntry } from "./journal.js";
export { renderApplyReport } from "./report.js";
export { progressJournal, type ApplyProgress, type ProgressListener } from "./progress.js";
