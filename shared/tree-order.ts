// The file tree's name order, shared by the engine (which lists in it) and the renderer
// (which patches live changes into it): natural, case-insensitive (file2 before file10,
// Readme next to readme), ties by code point so the order is total. Hand-written rather
// than Intl.Collator: several times faster on 100,000 names, and independent of the
// machine's locale or ICU build. Pure.

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Natural compare of two already lower-cased names; 0 when they differ only in leading zeros. */
export function compareLoweredNames(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Compare the digit runs as numbers of any size: strip leading zeros, then
      // the longer run is the larger number, else the first differing digit decides.
      while (i < a.length && a.charCodeAt(i) === 48) i++;
      while (j < b.length && b.charCodeAt(j) === 48) j++;
      let endA = i;
      let endB = j;
      while (endA < a.length && isDigit(a.charCodeAt(endA))) endA++;
      while (endB < b.length && isDigit(b.charCodeAt(endB))) endB++;
      if (endA - i !== endB - j) return endA - i - (endB - j);
      for (; i < endA; i++, j++) {
        const diff = a.charCodeAt(i) - b.charCodeAt(j);
        if (diff !== 0) return diff;
      }
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

/** Natural, case-insensitive; names equal that way are ordered by code point. `lowerA/B`: precomputed lower-case forms. */
export function compareNames(a: string, b: string, lowerA = a.toLowerCase(), lowerB = b.toLowerCase()): number {
  const natural = compareLoweredNames(lowerA, lowerB);
  if (natural !== 0) return natural;
  return a < b ? -1 : a > b ? 1 : 0;
}
