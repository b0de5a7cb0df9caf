// Long file names are cut in the middle, never at the end: the end (`…Widget.test.tsx`) is
// what tells two siblings apart. Two forms: a split for CSS (the head shrinks with an
// ellipsis, the tail never does) and a character-count cut for plain text.

export const ELLIPSIS = '…';

/** How many characters of the stem's end stay visible beside the extension. */
const TAIL_STEM_CHARS = 6;

/**
 * The name's extension: from the first dot after the stem's first character, so
 * `Widget.test.tsx` keeps `.test.tsx` and `.eslintrc.json` keeps `.json`.
 */
function extensionOf(name: string): string {
  const firstDot = name.indexOf('.', 1);
  if (firstDot < 0) return '';
  const ext = name.slice(firstDot);
  // `my.very.long.module.name.ts` is not a 4-part extension: keep at most two parts of ≤ 8 chars.
  const parts = ext.split('.').filter(Boolean);
  const kept = parts.slice(-2).every((p) => p.length <= 8) ? parts.slice(-2) : parts.slice(-1);
  return kept.length > 0 ? `.${kept.join('.')}` : '';
}

/**
 * Split `name` for a head that may shrink (CSS `text-overflow: ellipsis`) and a tail that
 * always shows: the extension plus the stem's last few characters. Short names are all head.
 */
export function splitForMiddleEllipsis(name: string, tailStemChars = TAIL_STEM_CHARS): { head: string; tail: string } {
  const ext = extensionOf(name);
  const stem = name.slice(0, name.length - ext.length);
  if (stem.length <= tailStemChars * 2) return { head: name, tail: '' };
  const cut = stem.length - tailStemChars;
  return { head: stem.slice(0, cut), tail: stem.slice(cut) + ext };
}

/**
 * `name` cut to at most `max` characters by replacing its middle with `…`; the end (the
 * extension and the stem's last characters) is kept whole when it fits, the rest split so
 * the start stays recognisable.
 */
export function middleEllipsis(name: string, max: number): string {
  const chars = [...name]; // code points: never cut an emoji or a surrogate pair in two
  if (chars.length <= max) return name;
  if (max <= 1) return ELLIPSIS.slice(0, Math.max(0, max));
  const room = max - 1;
  const { tail } = splitForMiddleEllipsis(name);
  const tailChars = [...tail];
  // The end wins up to two thirds of the room; the start keeps at least a third.
  const keepEnd = Math.min(Math.max(tailChars.length, Math.ceil(room / 2)), Math.max(1, Math.floor((room * 2) / 3)));
  const keepStart = room - keepEnd;
  return chars.slice(0, keepStart).join('') + ELLIPSIS + chars.slice(chars.length - keepEnd).join('');
}
