import { isAlias, isMap, isScalar, isSeq } from "yaml";
import type { Node as YamlNode } from "yaml";
import type { SourcePosition } from "../model/catalog.js";
import type { SourceDocument } from "./parse-yaml.js";

export type PathSegment = string | number;

/** Where a path points: the value node, or the key of the last segment (unknown fields, forbidden fields). */
export type Target = "value" | "key";

/** Decode a JSON pointer (`/spec/pricing/USD`) into segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function pointer(segments: readonly PathSegment[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/**
 * Position of a path in a document. When the path does not exist (a missing field), the
 * deepest existing ancestor is used, pointing at its key so the message reads naturally.
 */
export function locate(sd: SourceDocument, segments: readonly PathSegment[], target: Target = "value"): SourcePosition {
  let node: YamlNode | null | undefined = sd.doc.contents as YamlNode | null;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (isAlias(node)) node = node.resolve(sd.doc) ?? null;
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      const value = pair.value as YamlNode | null;
      if (last && target === "key" && keyOffset !== undefined) {
        offset = keyOffset;
        break;
      }
      // A mapping or list value is shown at its key (`client:`), which is where a reader looks;
      // a missing value (`key:` with nothing after it) still has a key to point at.
      const collection = isMap(value) || isSeq(value);
      offset = (collection ? keyOffset : value?.range?.[0]) ?? keyOffset ?? offset;
      node = value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = sd.lineCounter.linePos(offset);
  return { file: sd.file, line, col };
}

/** Where a whole document starts: its first content node. */
export function documentStart(sd: SourceDocument): SourcePosition {
  return locate(sd, []);
}

/** The exact source text of a scalar, e.g. `1e3` for a number YAML read as 1000. */
export function scalarSource(sd: SourceDocument, segments: readonly PathSegment[]): string | undefined {
  let node: YamlNode | null | undefined = sd.doc.contents as YamlNode | null;
  for (const seg of segments) {
    if (isAlias(node)) node = node.resolve(sd.doc) ?? null;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      node = pair?.value as YamlNode | null | undefined;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)] as YamlNode | undefined;
    } else {
      return undefined;
    }
  }
  if (isAlias(node)) node = node.resolve(sd.doc) ?? null;
  if (!isScalar(node) || !node.range) return undefined;
  return sd.text.slice(node.range[0], node.range[1]);
}
