// Parsing JSON that arrives from outside (REST bodies, WebSocket frames) with a bound on
// nesting. JSON.parse itself copes with deep nesting, but everything that walks the value
// afterwards recursively (zod, JSON.stringify, structured clone) overflows the stack at a
// few thousand levels: the request would end as a 500. So the depth is checked first, with
// one linear scan of the text, before anything is parsed.
import { MacsError } from '../../shared/index.js';

/** Far deeper than any request MACS understands (a TaskV1.1 spec is 4 levels) and far below where recursion breaks. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether brackets outside strings nest deeper than maxDepth. One pass; strings are skipped
 * with indexOf (their contents, brackets included, do not count). Malformed text is not
 * judged here: JSON.parse reports that.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Jump to the closing quote: one not preceded by an odd run of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return false;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/**
 * JSON.parse behind the depth bound. Throws INVALID_JSON (what: "The body", "The message")
 * with the reason in details: `syntax` (and the parser's message) or `too_deep`.
 */
export function parseJsonText(text: string, what: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (nestsDeeperThan(text, maxDepth)) {
    throw new MacsError('INVALID_JSON', `${what} is nested more than ${maxDepth} levels deep; send flatter JSON.`, { reason: 'too_deep', maxDepth });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = syntaxWhere((err as Error).message);
    throw new MacsError('INVALID_JSON', `${what} is not valid JSON: ${message}.`, { reason: 'syntax', fields: [{ path: '(body)', message }] });
  }
}

/**
 * Where the JSON broke, without the text around it: V8 quotes a snippet of the input
 * (`Unexpected token 's', "{"key":sk-a"... is not valid JSON`), and that input may be a
 * provider key sent with a quoting slip. Only the position (and the character class) goes back.
 */
export function syntaxWhere(v8Message: string): string {
  const at = /at position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec(v8Message);
  if (at) return at[2] ? `a syntax error at line ${at[2]}, column ${at[3]} (character ${at[1]})` : `a syntax error at character ${at[1]}`;
  if (/Unexpected end of JSON input/i.test(v8Message)) return 'it ends before the JSON is complete';
  if (/Unexpected token/i.test(v8Message)) return 'an unexpected character (unquoted text where a value belongs?)';
  return 'a syntax error';
}
