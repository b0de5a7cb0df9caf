// Which workspace files are candidates at all, before any ranking: TaskV1.1
// `repo.include` / `repo.exclude` globs, the project's .gitignore files, and a
// default list of things no prompt needs (.git, dependencies, build output, lock
// files, binaries). Works on paths alone so a directory walker can prune a whole
// folder (node_modules) without listing it.
import ignore, { type Ignore } from 'ignore';
import { Minimatch } from 'minimatch';

export type CandidateDropReason = 'invalid-path' | 'default-exclude' | 'gitignore' | 'exclude' | 'not-included';

export type CandidateVerdict = { keep: true } | { keep: false; reason: CandidateDropReason; detail: string };

export interface CandidateFilterOptions {
  /** When given and non-empty, a file must match one of these globs. */
  include?: readonly string[];
  /** A file matching any of these globs is dropped. */
  exclude?: readonly string[];
  /** The root .gitignore text, or .gitignore texts keyed by the folder holding them ('' = root). */
  gitignore?: string | Readonly<Record<string, string>>;
  /** Apply DEFAULT_EXCLUDES (default true). */
  defaultExcludes?: boolean;
}

/** gitignore syntax. Not "build/" or "out/": too often real source in some ecosystems. */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '.git/', '.hg/', '.svn/', 'node_modules/', 'bower_components/', 'vendor/', '.venv/', 'venv/', '__pycache__/',
  '.tox/', '.mypy_cache/', '.pytest_cache/', '.ruff_cache/', '.gradle/', '.next/', '.nuxt/', '.svelte-kit/',
  '.turbo/', '.cache/', 'dist/', 'coverage/', 'target/', '.DS_Store', 'Thumbs.db',
  'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'Cargo.lock', 'poetry.lock', 'Pipfile.lock',
  'Gemfile.lock', 'composer.lock', 'go.sum', '*.min.js', '*.min.css', '*.map',
  '*.png', '*.jpg', '*.jpeg', '*.gif', '*.webp', '*.ico', '*.bmp', '*.tiff', '*.psd', '*.pdf',
  '*.zip', '*.gz', '*.tgz', '*.bz2', '*.xz', '*.7z', '*.rar', '*.jar', '*.war',
  '*.woff', '*.woff2', '*.ttf', '*.otf', '*.eot', '*.mp3', '*.mp4', '*.wav', '*.ogg', '*.mov', '*.avi', '*.webm',
  '*.exe', '*.dll', '*.so', '*.dylib', '*.a', '*.o', '*.obj', '*.class', '*.pyc', '*.wasm', '*.node',
  '*.sqlite', '*.sqlite3', '*.db',
];

/** `./a\\b` → `a/b`; null when the path is not a plain relative path (absolute, `..`, empty). */
function cleanPath(raw: string): string | null {
  const slashed = raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (slashed === '' || slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed)) return null;
  if (slashed.split('/').some((s) => s === '..' || s === '.' || s === '')) return null;
  return slashed;
}

function compileGlobs(patterns: readonly string[]): Array<{ pattern: string; matchers: Minimatch[] }> {
  const options = { dot: true, matchBase: true };
  return patterns
    .map((p) => p.trim().replace(/\\/g, '/').replace(/^\.\//, ''))
    .filter((p) => p.length > 0)
    .map((pattern) => {
      const bare = pattern.replace(/\/+$/, '');
      // A folder given by name ("src", "docs/") means everything in it.
      return { pattern, matchers: [new Minimatch(bare, options), new Minimatch(`${bare}/**`, options)] };
    });
}

function compileGitignores(gitignore: CandidateFilterOptions['gitignore']): Array<{ dir: string; rules: Ignore }> {
  if (gitignore === undefined) return [];
  const byDir = typeof gitignore === 'string' ? { '': gitignore } : gitignore;
  return Object.entries(byDir)
    .map(([dir, text]) => ({ dir: cleanPath(dir) ?? '', rules: ignore().add(text) }))
    .sort((a, b) => b.dir.length - a.dir.length); // deepest first: a nested file overrides its parents
}

export interface CandidateFilter {
  /** Pass `isDirectory` for folders so `dir/` rules apply and include globs do not prune them. */
  test(path: string, isDirectory?: boolean): CandidateVerdict;
}

export function createCandidateFilter(opts: CandidateFilterOptions = {}): CandidateFilter {
  const defaults = opts.defaultExcludes === false ? null : ignore().add([...DEFAULT_EXCLUDES]);
  const gitignores = compileGitignores(opts.gitignore);
  const includes = compileGlobs(opts.include ?? []);
  const excludes = compileGlobs(opts.exclude ?? []);

  const gitignored = (path: string, isDirectory: boolean): string | null => {
    for (const { dir, rules } of gitignores) {
      if (dir !== '' && !path.startsWith(`${dir}/`)) continue;
      const rel = dir === '' ? path : path.slice(dir.length + 1);
      const result = rules.test(isDirectory ? `${rel}/` : rel);
      if (result.ignored) return dir === '' ? '.gitignore' : `${dir}/.gitignore`;
      if (result.unignored) return null;
    }
    return null;
  };

  return {
    test(raw, isDirectory = false) {
      const path = cleanPath(raw);
      if (path === null) return { keep: false, reason: 'invalid-path', detail: `"${raw}" is not a relative path inside the workspace` };
      const probe = isDirectory ? `${path}/` : path;
      if (defaults?.ignores(probe)) return { keep: false, reason: 'default-exclude', detail: 'skipped by default (dependencies, build output, lock files, binaries)' };
      const source = gitignored(path, isDirectory);
      if (source) return { keep: false, reason: 'gitignore', detail: `ignored by ${source}` };
      const ex = excludes.find((g) => g.matchers.some((m) => m.match(path)));
      if (ex) return { keep: false, reason: 'exclude', detail: `excluded by "${ex.pattern}"` };
      if (!isDirectory && includes.length > 0 && !includes.some((g) => g.matchers.some((m) => m.match(path)))) {
        return { keep: false, reason: 'not-included', detail: `matches none of ${includes.map((g) => `"${g.pattern}"`).join(', ')}` };
      }
      return { keep: true };
    },
  };
}

/** The files among `paths` that may be given to the model, in their original order (cleaned: `a/b`, never `./a\\b`). */
export function filterCandidates(paths: readonly string[], opts: CandidateFilterOptions = {}): string[] {
  const filter = createCandidateFilter(opts);
  const kept: string[] = [];
  for (const raw of paths) {
    if (filter.test(raw).keep) kept.push(cleanPath(raw) as string);
  }
  return kept;
}
