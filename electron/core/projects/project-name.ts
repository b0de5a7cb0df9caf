// A project's name is shown as one line of text in the sidebar, the CLI's tables and the
// window title. It comes from a prompt's first line, a folder's name or a REST client, so it
// may carry what a terminal or a text renderer acts on instead of showing: ESC sequences
// (clear the screen, retitle the window), C1 controls, bidi overrides that reorder what
// follows, zero-width characters. Those go; whitespace controls become one space.
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

const MAX_PROJECT_NAME = 200;

/** The visible text of a name on one line ('' when nothing visible is left). */
export function cleanProjectName(raw: string): string {
  const visible = raw.replace(WHITESPACE_CONTROLS, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  // Cut by code points, so a name never ends in half a surrogate pair.
  const points = Array.from(visible);
  return points.length > MAX_PROJECT_NAME ? `${points.slice(0, MAX_PROJECT_NAME - 1).join('').trimEnd()}…` : visible;
}
