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
  | 'GIT_INTERNALS';

export type NormalizedPath = { ok: true; path: string } | { ok: false; code: PathRefusalCode; reason: string };

const MAX_PATH_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;
// Windows device names are refused everywhere so a project stays portable.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const GIT_DIR = /^(?:\.git[. ]*|git~\d+)$/i;

function refuse(code: PathRefusalCode, reason: string): NormalizedPath {
  return { ok: false, code, reason };
}

/**
 * Turn a model-written path into a clean relative POSIX path inside the workspace,
 * or say why not. `./a//b/` → `a/b`; `a/../b` → `b`; `../x`, `/etc/x`, `C:\x`,
 * `\\server\x` are refused.
 */
export function normalizeWorkspacePath(raw: string): NormalizedPath {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return refuse('EMPTY', 'The path is empty.');
  if (trimmed.includes('\0')) return refuse('NUL_BYTE', 'The path contains a NUL byte.');
  if (/[\u0001-\u001f\u007f]/.test(trimmed)) return refuse('CONTROL_CHARACTER', 'The path contains control characters.');
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
    if (segment.length > MAX_SEGMENT_LENGTH) return refuse('TOO_LONG', `A path segment is longer than ${MAX_SEGMENT_LENGTH} characters.`);
    if (WINDOWS_RESERVED.test(segment)) return refuse('RESERVED_NAME', `"${segment}" is a reserved device name on Windows.`);
    out.push(segment);
  }
  if (out.length === 0) return refuse('EMPTY', 'The path names no file.');
  // Writing git internals (hooks, config) would let generated output run code on the next git
  // command, in the workspace or in a nested repository. Case-insensitive file systems map `.GIT`
  // to `.git`, Windows drops trailing dots/spaces, and NTFS knows `.git` as the 8.3 name `GIT~1`.
  if (out.some((segment) => GIT_DIR.test(segment))) return refuse('GIT_INTERNALS', 'Files inside .git are not written.');
  return { ok: true, path: out.join('/') };
}
