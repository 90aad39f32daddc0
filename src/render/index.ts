/** Renderers of a plan value: terminal text, pull-request Markdown, JSON artifact. All pure. */
export { renderText, type TextOptions } from "./text.js";
export { maskerFor, EMAIL_PATHS, NAME_PATHS, type Masker, type PrivacyOptions } from "./mask.js";
export { renderMarkdown, PLAN_COMMENT_MARKER, GITHUB_COMMENT_LIMIT, type MarkdownOptions } from "./markdown.js";
export { renderJson } from "./json.js";
