// Which entries git would ignore, evaluated folder by folder as the walker descends:
// .git/info/exclude, the root .gitignore and every nested .gitignore, with git's
// precedence (a deeper file beats a shallower one, any .gitignore beats
// info/exclude; inside one file the last matching rule wins). node_modules and
// .git are hidden by name everywhere, with or without a .gitignore, because no
// one browsing their project wants them open by default.
import ignore, { type Ignore } from 'ignore';

/** Folder names hidden by default at any depth. */
export const ALWAYS_HIDDEN_NAMES: ReadonlySet<string> = new Set(['node_modules', '.git']);

// git's core.ignoreCase follows the filesystem: case-insensitive on the default
// macOS and Windows filesystems, case-sensitive on Linux. `ignore` defaults to
// insensitive everywhere, which would hide `Build/` on Linux because of `build/`.
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** One rules file, scoped to the folder that holds it ('' = the root). */
interface RuleLayer {
  dir: string;
  rules: Ignore;
  /** The next lower-precedence layer: the parent folder's, ending in info/exclude. */
  below: RuleLayer | null;
}

/**
 * The rules in force inside one folder. Immutable: a folder with its own
 * .gitignore gets a new stack on top of its parent's, siblings share theirs,
 * so the parallel walker needs no locking.
 */
export class IgnoreStack {
  private constructor(private readonly top: RuleLayer | null) {}

  static empty(): IgnoreStack {
    return new IgnoreStack(null);
  }

  /** Rules from a file in folder `dir`. Blank or comment-only text adds nothing. */
  withRules(dir: string, text: string): IgnoreStack {
    const hasRules = text.split(/\r?\n/).some((line) => line.trim() !== '' && !line.startsWith('#'));
    if (!hasRules) return this;
    return new IgnoreStack({ dir, rules: ignore({ ignorecase: IGNORE_CASE }).add(text), below: this.top });
  }

  get isEmpty(): boolean {
    return this.top === null;
  }

  /**
   * Whether `relPath` (root-relative, POSIX) is ignored by the rules files. The
   * caller has already established that no parent folder is ignored: the walker
   * does not enter ignored folders, or marks everything inside them itself.
   */
  ignores(relPath: string, isDir: boolean): boolean {
    for (let layer = this.top; layer; layer = layer.below) {
      const local = layer.dir === '' ? relPath : relPath.slice(layer.dir.length + 1);
      let verdict: ignore.TestResult;
      try {
        verdict = layer.rules.test(isDir ? `${local}/` : local);
      } catch {
        // `ignore` refuses names it cannot express as a relative path; git would
        // not match them either.
        continue;
      }
      if (verdict.ignored) return true;
      // A negation (`!keep.log`) in a closer file settles it, whatever farther files say.
      if (verdict.unignored) return false;
    }
    return false;
  }
}

/** Hidden by name, whatever the rules files say. */
export function isAlwaysHidden(name: string): boolean {
  return ALWAYS_HIDDEN_NAMES.has(name);
}
