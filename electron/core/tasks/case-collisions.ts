// Names that differ only in case are one file on macOS (APFS, HFS+ by default) and
// Windows (NTFS): an answer with README.md and readme.md, or src/ and Src/, writes two
// files on Linux and one (the last) elsewhere. macOS also ignores Unicode normalization
// (é as one code point or as e + accent). Each spelling of every path segment is
// remembered; a second spelling of the same segment is reported once.
export class CaseCollisions {
  /** "dir/lowercased-name" → the first spelling seen (whole path up to that segment). */
  private readonly seen = new Map<string, string>();
  private readonly reported = new Set<string>();

  /** The collision `path` makes with an earlier path of this answer, if any (once per pair). */
  check(path: string): { spelling: string; earlier: string } | null {
    const segments = path.split('/');
    let prefix = '';
    let lowerPrefix = '';
    for (const segment of segments) {
      prefix = prefix ? `${prefix}/${segment}` : segment;
      const folded = segment.normalize('NFC').toLowerCase();
      lowerPrefix = lowerPrefix ? `${lowerPrefix}/${folded}` : folded;
      const earlier = this.seen.get(lowerPrefix);
      if (earlier === undefined) {
        this.seen.set(lowerPrefix, prefix);
      } else if (earlier !== prefix) {
        if (this.reported.has(lowerPrefix)) return null;
        this.reported.add(lowerPrefix);
        return { spelling: prefix, earlier };
      }
    }
    return null;
  }
}

export function caseCollisionMessage(c: { spelling: string; earlier: string }): string {
  const how = c.spelling.toLowerCase() === c.earlier.toLowerCase() ? 'differ only in case' : 'differ only in case or in how an accent is encoded';
  return `"${c.spelling}" and "${c.earlier}" ${how}: on macOS and Windows they are the same file, so one would overwrite the other there.`;
}
