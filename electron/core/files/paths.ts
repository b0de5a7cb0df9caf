// Pure normalisation of a path a model wrote. No filesystem access: the workspace
// writer adds realpath containment on top. Kept pure so the extractor can refuse
// hostile paths while the answer is still streaming.

export type PathRefusalCode =
  | 'EMPTY'
  | 'ABSOLUTE'
  | 'DRIVE_LETTER'
  | 'UNC'
  | 'PARENT_ESCAPE'
  | 'NUL_BYTE'
  | 'CONTROL_CHARACTER'
  | 'TOO_LONG'
  | 'RESERVED_NAME'
  | 'INVALID_CHARACTER'
  | 'TRAILING_DOT_OR_SPACE'
  | 'GIT_INTERNALS'
  | 'DEPENDENCY_FOLDER';

export type NormalizedPath = { ok: true; path: string } | { ok: false; code: PathRefusalCode; reason: string };

const MAX_PATH_LENGTH = 1024;
/** ext4, APFS and NTFS all stop at 255 (bytes or UTF-16 units) a name: counted in UTF-8 bytes, the stricter. */
const MAX_SEGMENT_BYTES = 255;
// Windows device names are refused everywhere so a project stays portable. Windows also reserves
// COM¹²³/LPT¹²³ and CONIN$/CONOUT$, and ignores spaces before the extension ("CON .txt" is CON).
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$) *(\..*)?$/i;
const GIT_DIR = /^(?:\.git[. ]*|git~\d+)$/i;
// Characters Windows forbids in a name. ':' matters most: NTFS reads `a.py:x` as an alternate data
// stream of a.py and `.git::$INDEX_ALLOCATION` as the .git folder itself (CVE-2019-1352).
const WINDOWS_INVALID = /[:*?"<>|]/;
// C0/C1 controls, line/paragraph separators, and format characters (zero-width joiners, bidi
// overrides, BOM): invisible in a file list, and HFS+ ignores some of them when it compares
// names, so `.g\u200cit` IS `.git` there (CVE-2014-9390).
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** Does this relative path (either slash) go through a .git folder? For paths read back from the disk (symlink targets). */
export function isGitInternalPath(rel: string): boolean {
  return rel.split(/[\\/]/).some((segment) => GIT_DIR.test(segment));
}

function refuse(code: PathRefusalCode, reason: string): NormalizedPath {
  return { ok: false, code, reason };
}

/**
 * Turn a model-written path into a clean relative POSIX path inside the workspace,
 * or say why not. `./a//b/` → `a/b`; `a/../b` → `b`; `../x`, `/etc/x`, `C:\x`,
 * `\\server\x` are refused. `modelOutput`: a path a model wrote a file to (stricter: no node_modules).
 */
export function normalizeWorkspacePath(raw: string, options: { modelOutput?: boolean } = {}): NormalizedPath {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return refuse('EMPTY', 'The path is empty.');
  if (trimmed.includes('\0')) return refuse('NUL_BYTE', 'The path contains a NUL byte.');
  if (INVISIBLE.test(trimmed)) return refuse('CONTROL_CHARACTER', 'The path contains control or invisible characters.');
  if (trimmed.length > MAX_PATH_LENGTH) return refuse('TOO_LONG', `The path is longer than ${MAX_PATH_LENGTH} characters.`);

  const slashed = trimmed.replace(/\\/g, '/');
  if (slashed.startsWith('//')) return refuse('UNC', 'UNC/network paths are not allowed.');
  if (/^[a-zA-Z]:/.test(slashed)) return refuse('DRIVE_LETTER', 'Drive-letter paths are not allowed.');
  if (slashed.startsWith('/') || slashed.startsWith('~')) return refuse('ABSOLUTE', 'Absolute paths are not allowed; use a path relative to the project.');

  const out: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return refuse('PARENT_ESCAPE', 'The path leaves the workspace through "..".');
      out.pop();
      continue;
    }
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) return refuse('TOO_LONG', `A file or folder name is longer than ${MAX_SEGMENT_BYTES} bytes.`);
    if (WINDOWS_RESERVED.test(segment)) return refuse('RESERVED_NAME', `"${segment}" is a reserved device name on Windows.`);
    if (WINDOWS_INVALID.test(segment)) return refuse('INVALID_CHARACTER', `"${segment}" contains a character Windows does not allow in a name (: * ? " < > |).`);
    // Windows drops a trailing dot or space: `.. ` would be `..` there, and `x.py.` the same file as `x.py`.
    if (GIT_DIR.test(segment)) return refuse('GIT_INTERNALS', 'Files inside .git are not written.');
    // A model's file in node_modules is never listed, exported or diffed (and usually git-ignored): one
    // planted there (node_modules/.bin/jest) would run on the next `npm test` without the user seeing it.
    // Reading one (a folder task's context) stays allowed.
    if (options.modelOutput && /^node_modules$/i.test(segment)) {
      return refuse('DEPENDENCY_FOLDER', 'Files inside node_modules are not written; dependencies come from the package manager.');
    }
    if (/[. ]$/.test(segment)) return refuse('TRAILING_DOT_OR_SPACE', `"${segment}" ends in a dot or a space, which Windows drops from names.`);
    out.push(segment);
  }
  if (out.length === 0) return refuse('EMPTY', 'The path names no file.');
  // Writing git internals (hooks, config) would let generated output run code on the next git
  // command, in the workspace or in a nested repository. Case-insensitive file systems map `.GIT`
  // to `.git`, Windows drops trailing dots/spaces, and NTFS knows `.git` as the 8.3 name `GIT~1`.
  if (out.some((segment) => GIT_DIR.test(segment))) return refuse('GIT_INTERNALS', 'Files inside .git are not written.');
  return { ok: true, path: out.join('/') };
}
