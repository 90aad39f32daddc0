import type { ErrorObject } from "ajv";
import type { ManifestIssue } from "../core/errors.js";
import { IssueCode } from "./codes.js";
import { issue, moreIssues } from "./issues.js";
import { MAX_ISSUES_PER_DOCUMENT } from "./limits.js";
import { locate, pointer, pointerSegments } from "./locate.js";
import type { PathSegment, Target } from "./locate.js";
import type { SourceDocument } from "./parse-yaml.js";
import { didYouMean } from "../core/suggest.js";

type SchemaObject = Readonly<Record<string, unknown>>;

/**
 * Turn ajv errors into issues at the YAML node they are about, with a message a person can act
 * on. Summary errors (`if`, `propertyNames`) are dropped: the errors under them say more.
 * `skip` drops errors for paths another check already reported (e.g. apiVersion and kind).
 */
export function schemaIssues(
  sd: SourceDocument,
  errors: readonly ErrorObject[],
  skip: (path: string) => boolean = () => false,
): ManifestIssue[] {
  const out: ManifestIssue[] = [];
  const relevant = errors.filter((e) => e.keyword !== "if" && e.keyword !== "propertyNames");
  for (const [index, e] of relevant.entries()) {
    // Locating is linear in the size of a mapping, so a flood of errors is cut short.
    if (out.length === MAX_ISSUES_PER_DOCUMENT) {
      // At the document's end, so the summary sorts after the issues it stands for.
      out.push(moreIssues(relevant.length - index, { file: sd.file, ...sd.lineCounter.linePos(sd.doc.range[1]) }));
      break;
    }
    const mapped = mapError(e);
    const path = pointer(mapped.segments);
    if (skip(path)) continue;
    const pos = locate(sd, mapped.segments, mapped.target);
    out.push(issue({ code: mapped.code, file: sd.file, line: pos.line, col: pos.col, path, message: mapped.message, hint: mapped.hint }));
  }
  return out;
}

interface Mapped {
  readonly code: IssueCode;
  readonly segments: PathSegment[];
  readonly target: Target;
  readonly message: string;
  readonly hint?: string | undefined;
}

function mapError(e: ErrorObject): Mapped {
  const parent = (isObject(e.parentSchema) ? e.parentSchema : {}) as SchemaObject;
  const segments: PathSegment[] = pointerSegments(e.instancePath);
  // Errors about a property name (propertyNames) point at the key itself.
  const aboutKey = e.propertyName !== undefined;
  if (aboutKey) segments.push(e.propertyName as string);
  const field = fieldName(segments);
  const schemaHint = typeof parent["errorMessage"] === "string" ? parent["errorMessage"] : undefined;
  const params = e.params as Record<string, unknown>;

  switch (e.keyword) {
    case "additionalProperties": {
      const name = String(params["additionalProperty"]);
      const allowed = isObject(parent["properties"]) ? Object.keys(parent["properties"]) : [];
      return {
        code: IssueCode.schemaUnknownField,
        segments: [...segments, name],
        target: "key",
        message: `unknown field '${name}'`,
        hint: didYouMean(name, allowed) ?? (allowed.length > 0 ? `allowed fields: ${allowed.join(", ")}` : undefined),
      };
    }
    case "required": {
      const name = String(params["missingProperty"]);
      return {
        code: IssueCode.schemaRequired,
        segments,
        target: "key",
        message: segments.length === 0 ? `missing required field '${name}'` : `'${field}' is missing the required field '${name}'`,
        hint: schemaHint,
      };
    }
    case "type": {
      const expected = String(params["type"]).split(",");
      return {
        code: IssueCode.schemaType,
        segments,
        target: "value",
        message: `'${field}' must be ${expected.map(article).join(" or ")}`,
        hint: typeHint(expected, e.data),
      };
    }
    case "enum": {
      const allowed = Array.isArray(params["allowedValues"]) ? params["allowedValues"].map(String) : [];
      const got = typeof e.data === "string" ? e.data : undefined;
      return {
        code: IssueCode.schemaEnum,
        segments,
        target: "value",
        message: got !== undefined ? `'${field}' is '${got}', expected one of: ${allowed.join(", ")}` : `'${field}' must be one of: ${allowed.join(", ")}`,
        hint: got !== undefined ? didYouMean(got, allowed) : undefined,
      };
    }
    case "const":
      return { code: IssueCode.schemaConst, segments, target: "value", message: `'${field}' must be '${String(params["allowedValue"])}'` };
    case "pattern":
      return patternError(parent, segments, field, aboutKey, e.data);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      if (parent["issueCode"] === IssueCode.moneyInvalid) {
        return { code: IssueCode.moneyInvalid, segments, target: "value", message: `'${field}' must not be negative` };
      }
      return { code: IssueCode.schemaRange, segments, target: "value", message: `'${field}' must be ${String(params["comparison"])} ${String(params["limit"])}` };
    case "minLength":
    case "maxLength": {
      const limit = Number(params["limit"]);
      const message =
        e.keyword === "minLength" && limit === 1 ? `'${field}' must not be empty` : `'${field}' must have ${e.keyword === "minLength" ? "at least" : "at most"} ${limit} characters`;
      return { code: IssueCode.schemaLength, segments, target: "value", message };
    }
    case "minItems":
    case "maxItems": {
      const limit = Number(params["limit"]);
      return {
        code: IssueCode.schemaItems,
        segments,
        target: "value",
        message: `'${field}' must have ${e.keyword === "minItems" ? "at least" : "at most"} ${limit} item${limit === 1 ? "" : "s"}`,
      };
    }
    case "uniqueItems": {
      const i = Number(params["i"]);
      const j = Number(params["j"]);
      const later = Math.max(i, j);
      const item = Array.isArray(e.data) ? (e.data as unknown[])[later] : undefined;
      const shown = typeof item === "string" || typeof item === "number" ? `'${String(item)}' ` : "";
      return { code: IssueCode.schemaUnique, segments: [...segments, later], target: "value", message: `${shown}is listed more than once in '${field}'` };
    }
    case "not":
    case "false schema":
      return { code: IssueCode.schemaNotAllowed, segments, target: "key", message: `the field '${field}' is not allowed here`, hint: schemaHint };
    default:
      return { code: IssueCode.schemaInvalid, segments, target: "value", message: `'${field}' ${e.message ?? "is invalid"}` };
  }
}

function patternError(parent: SchemaObject, segments: PathSegment[], field: string, aboutKey: boolean, data: unknown): Mapped {
  const explained = typeof parent["patternErrorMessage"] === "string" ? parent["patternErrorMessage"] : `must match ${String(parent["pattern"])}`;
  if (parent["issueCode"] === "config.secret") {
    // Never echo the value: it may be the very secret that must not be in the file.
    const attempted = typeof data === "string" && /\$\{|^\$?env:|^\$[A-Za-z_]/i.test(data);
    return attempted
      ? {
          code: IssueCode.secretRef,
          segments,
          target: "value",
          message: `'${field}' is not a valid secret reference`,
          hint: "write exactly ${env:NAME}, where NAME is an environment variable (letters, digits, '_')",
        }
      : {
          code: IssueCode.secretLiteral,
          segments,
          target: "value",
          message: `'${field}' looks like a literal secret: secrets are never written in YAML`,
          hint: "put the value in an environment variable and write ${env:NAME} here",
        };
  }
  if (parent["issueCode"] === IssueCode.moneyInvalid) {
    return { code: IssueCode.moneyInvalid, segments, target: "value", message: `'${field}' ${explained}` };
  }
  return {
    code: IssueCode.schemaPattern,
    segments,
    target: aboutKey ? "key" : "value",
    message: aboutKey ? `the key '${field}' is invalid: ${explained}` : `'${field}' ${explained}`,
  };
}

/** The last path segment, with list items named after their list: `options[2]`. */
function fieldName(segments: readonly PathSegment[]): string {
  const last = segments[segments.length - 1];
  if (last === undefined) return "document";
  const prev = segments[segments.length - 2];
  if (/^\d+$/.test(String(last)) && prev !== undefined) return `${String(prev)}[${String(last)}]`;
  return String(last);
}

function article(type: string): string {
  switch (type) {
    case "integer":
      return "an integer";
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    case "null":
      return "empty";
    default:
      return `a ${type}`;
  }
}

function typeHint(expected: readonly string[], data: unknown): string | undefined {
  if (expected.includes("boolean") && typeof data === "string" && /^(yes|no|on|off|y|n|true|false)$/i.test(data)) {
    return "YAML 1.2 booleans are written true or false";
  }
  if (expected.includes("string") && (typeof data === "number" || typeof data === "boolean")) {
    return "quote the value to make it a string";
  }
  if (expected.includes("integer") && typeof data === "string" && /^\d+$/.test(data)) {
    return "write the number without quotes";
  }
  if (data === null) return "the value is empty";
  return undefined;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}
