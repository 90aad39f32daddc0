/**
 * Field paths of a FieldDiff. Plain keys (letters, digits, `_`, `-`) join with dots; any other
 * key, the empty choice key of quantity and yes/no options included, is written as a bracketed
 * JSON string: `options.mailboxes.choices[""].pricing.EUR.monthly`. The form is reversible, so
 * renderers can read the segments back without guessing.
 */
const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

export function formatPath(segments: readonly string[]): string {
  let out = "";
  for (const seg of segments) {
    if (PLAIN_SEGMENT.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Inverse of `formatPath`; undefined when the text is not a path it could have written. */
export function parsePath(path: string): string[] | undefined {
  const segments: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === "[") {
      const end = closingBracket(path, i + 1);
      if (end < 0) return undefined;
      try {
        const seg: unknown = JSON.parse(path.slice(i + 1, end));
        if (typeof seg !== "string") return undefined;
        segments.push(seg);
      } catch {
        return undefined;
      }
      i = end + 1;
    } else {
      if (segments.length > 0) {
        if (path[i] !== ".") return undefined;
        i += 1;
      }
      const m = /^[A-Za-z0-9_-]+/.exec(path.slice(i));
      if (!m) return undefined;
      segments.push(m[0]);
      i += m[0].length;
    }
  }
  return segments;
}

/** Index of the `]` closing a JSON string that starts at `from`, or -1. */
function closingBracket(text: string, from: number): number {
  if (text[from] !== '"') return -1;
  for (let i = from + 1; i < text.length; i++) {
    if (text[i] === "\\") i += 1;
    else if (text[i] === '"') return text[i + 1] === "]" ? i + 1 : -1;
  }
  return -1;
}
