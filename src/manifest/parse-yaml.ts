import { Composer, LineCounter, Parser, isAlias, isMap, isScalar, isSeq, visit } from "yaml";
import type { Alias, CST, Document, Node as YamlNode, YAMLError } from "yaml";
import type { ManifestIssue } from "../core/errors.js";
import { IssueCode } from "./codes.js";
import { append, capIssues, fileIsFull, issue, uncheckedDocuments } from "./issues.js";
import { MAX_ALIAS_COUNT, MAX_NESTING_DEPTH } from "./limits.js";

/** One non-empty YAML document of a file, with what is needed to point back into the text. */
export interface SourceDocument {
  readonly file: string;
  readonly text: string;
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** Plain JS value of the document (objects, arrays, strings, numbers, booleans, null). */
  readonly value: unknown;
}

/** Keys that could reach an object's prototype chain if some consumer assigned them naively. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const COLLECTION_TOKENS = new Set(["block-map", "block-seq", "flow-collection"]);

const COMPOSE_OPTIONS = {
  // YAML 1.2 core schema whatever the document's %YAML directive says: no `yes`/`no` booleans,
  // no `<<` merge keys, no implicit YAML 1.1 types such as !!binary or !!timestamp.
  version: "1.2",
  schema: "core",
  merge: false,
  resolveKnownTags: false,
  // Checked here instead, in linear time: the package's check compares every pair of keys.
  uniqueKeys: false,
  strict: true,
  // The pretty form quotes the source line, which could hold a secret someone pasted by mistake.
  prettyErrors: false,
} as const;

/**
 * Parse the documents of a YAML text one at a time, so a caller that has seen enough issues can
 * stop without composing the rest. Never throws: syntax errors, duplicate keys, tabs, unknown
 * tags, forbidden keys, excessive nesting and alias bombs are appended to `issues`. Documents
 * with issues and empty documents are not yielded.
 */
export function* parseYamlDocuments(file: string, text: string, issues: ManifestIssue[]): Generator<SourceDocument, void, undefined> {
  const lineCounter = new LineCounter();
  const at = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);
  const fail = (err: unknown): ManifestIssue =>
    issue({ code: IssueCode.yamlSyntax, file, line: 0, col: 0, message: `cannot parse YAML: ${errorText(err)}` });

  const tokens = new Parser(lineCounter.addNewLine).parse(text);
  let tooDeep = false;
  // Depth is checked per top-level token, before the composer (which recurses) sees it.
  function* checked(): Generator<CST.Token, void, undefined> {
    for (const token of tokens) {
      const deep = findTooDeep(token);
      if (deep !== undefined) {
        tooDeep = true;
        issues.push(
          issue({
            code: IssueCode.yamlTooDeep,
            file,
            ...at(deep),
            message: `collections are nested more than ${MAX_NESTING_DEPTH} levels deep`,
            hint: "manifests need only a few levels; is this file machine-written or hostile?",
          }),
        );
        return;
      }
      yield token;
    }
  }

  const composer = new Composer(COMPOSE_OPTIONS);
  const documents = composer.compose(checked());
  let index = 0;
  for (;;) {
    let next: IteratorResult<Document.Parsed, void>;
    try {
      next = documents.next();
    } catch (err) {
      issues.push(fail(err));
      return;
    }
    if (next.done) break;
    // The parser hands over whole documents, so what the composer has is complete even
    // after the depth check stopped the token stream.
    const doc = next.value;
    if (fileIsFull(issues)) {
      issues.push(uncheckedDocuments({ file, ...at(doc.contents?.range[0] ?? doc.range[0]) }));
      return;
    }
    const docIssues: ManifestIssue[] = [];
    for (const e of doc.errors) docIssues.push(yamlIssue(file, e, at));
    for (const e of doc.warnings) docIssues.push(yamlIssue(file, e, at));
    if (docIssues.length === 0) append(docIssues, checkKeys(file, doc, at));
    if (docIssues.length > 0) {
      append(issues, capIssues(docIssues, { file, ...at(doc.range[1]) }));
      index++;
      continue;
    }
    if (!isEmptyDocument(doc)) {
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (err) {
        issues.push(toJsIssue(file, doc, err, at));
        index++;
        continue;
      }
      yield { file, text, index, doc, lineCounter, value };
    }
    index++;
  }
  if (index === 0 && !tooDeep) {
    const info = composer.streamInfo();
    for (const e of info.errors) issues.push(yamlIssue(file, e, at));
    for (const e of info.warnings) issues.push(yamlIssue(file, e, at));
  }
}

function yamlIssue(file: string, e: YAMLError, at: (offset: number) => { line: number; col: number }): ManifestIssue {
  const pos = at(e.pos[0]);
  switch (e.code) {
    case "DUPLICATE_KEY":
      return issue({ code: IssueCode.yamlDuplicateKey, file, ...pos, message: "duplicate key in a mapping", hint: "each key may appear once per mapping; remove or merge the repeated key" });
    case "TAB_AS_INDENT":
      return issue({ code: IssueCode.yamlTab, file, ...pos, message: "tab used for indentation", hint: "YAML indents with spaces only" });
    case "TAG_RESOLVE_FAILED":
      return issue({ code: IssueCode.yamlUnknownTag, file, ...pos, message: e.message, hint: "manifests use plain YAML 1.2 values; remove the tag" });
    case "RESOURCE_EXHAUSTION":
      return issue({ code: IssueCode.yamlTooDeep, file, ...pos, message: "document too deeply nested or too large to compose" });
    default:
      return issue({ code: IssueCode.yamlSyntax, file, ...pos, message: `YAML syntax error: ${e.message}` });
  }
}

/** Offset of the first collection nested deeper than the limit, walking the CST without recursion. */
function findTooDeep(root: CST.Token): number | undefined {
  const stack: { token: CST.Token; depth: number }[] = [{ token: root, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { token } = next;
    const depth = COLLECTION_TOKENS.has(token.type) ? next.depth + 1 : next.depth;
    if (depth > MAX_NESTING_DEPTH) return token.offset;
    if (token.type === "document" && token.value) stack.push({ token: token.value, depth });
    if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      for (const item of token.items) {
        if (item.key) stack.push({ token: item.key, depth });
        if (item.value) stack.push({ token: item.value, depth });
      }
    }
  }
  return undefined;
}

/** Reject keys that are not plain scalars, repeated keys, and keys that name prototype members. */
function checkKeys(file: string, doc: Document.Parsed, at: (offset: number) => { line: number; col: number }): ManifestIssue[] {
  const out: ManifestIssue[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || key.value === null || typeof key.value === "object") {
          const offset = isNode(key) ? (key.range?.[0] ?? 0) : (map.range?.[0] ?? 0);
          out.push(issue({ code: IssueCode.yamlKeyNotString, file, ...at(offset), message: "mapping keys must be plain strings", hint: "complex, alias and empty keys are not supported" }));
          continue;
        }
        const name = String(key.value);
        const pos = at(key.range?.[0] ?? 0);
        if (seen.has(name)) {
          out.push(
            issue({
              code: IssueCode.yamlDuplicateKey,
              file,
              ...pos,
              message: `duplicate key '${truncate(name)}' in a mapping`,
              hint: "each key may appear once per mapping; remove or merge the repeated key",
            }),
          );
        }
        seen.add(name);
        if (FORBIDDEN_KEYS.has(name)) {
          out.push(issue({ code: IssueCode.yamlForbiddenKey, file, ...pos, message: `the key '${name}' is not allowed`, hint: "'__proto__', 'constructor' and 'prototype' are reserved" }));
        }
      }
    },
  });
  return out;
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

function isNode(x: unknown): x is YamlNode {
  return isScalar(x) || isMap(x) || isSeq(x) || isAlias(x);
}

/** A document holding only comments, or nothing, between `---` markers. */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents;
  if (c === null) return true;
  return isScalar(c) && c.value === null && c.range[0] === c.range[1] && !c.tag;
}

function toJsIssue(file: string, doc: Document.Parsed, err: unknown, at: (offset: number) => { line: number; col: number }): ManifestIssue {
  const message = errorText(err);
  if (err instanceof ReferenceError && /excessive alias count/i.test(message)) {
    return issue({
      code: IssueCode.yamlAliasLimit,
      file,
      ...at(firstAlias(doc, () => true) ?? doc.contents?.range[0] ?? 0),
      message: `aliases expand to more than ${MAX_ALIAS_COUNT} nodes`,
      hint: "reduce the use of anchors and aliases; this limit guards against alias bombs",
    });
  }
  if (err instanceof ReferenceError && /unresolved alias/i.test(message)) {
    const offset = firstAlias(doc, (alias) => alias.resolve(doc) === undefined);
    return issue({
      code: IssueCode.yamlUnknownAlias,
      file,
      ...at(offset ?? doc.contents?.range[0] ?? 0),
      message: "alias to an anchor that is not defined earlier in this document",
      hint: "anchors (&name) are local to one document: define the anchor above the alias, in the same document",
    });
  }
  return issue({ code: IssueCode.yamlSyntax, file, ...at(doc.contents?.range[0] ?? 0), message: `cannot read YAML document: ${message}` });
}

function firstAlias(doc: Document.Parsed, match: (alias: Alias) => boolean): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (offset === undefined && match(node)) {
        offset = node.range?.[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
