// Writing the agent's screenshots into the workspace without following links. The workspace
// is writable by the sandboxed app, which runs while the agent drives its page: a symlink it
// planted at .macs/screenshots (or at a screenshot's name) would otherwise have the agent,
// which runs on the host, write PNG bytes over any file the user can write.
import fs from 'node:fs';
import path from 'node:path';

const WRITE_NEW = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

/**
 * Make `dir` (inside `root`) folder by folder, refusing any part that is a link or not a
 * folder; true when it is a real folder of the workspace now. A dir outside root is made as is.
 */
export function prepareScreenshotFolder(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    fs.mkdirSync(dir, { recursive: true });
    return true;
  }
  let at: string;
  try {
    at = fs.realpathSync(root);
  } catch {
    return false;
  }
  for (const part of rel.split(path.sep).filter((p) => p.length > 0)) {
    at = path.join(at, part);
    let stat: fs.Stats | null = null;
    try {
      stat = fs.lstatSync(at);
    } catch {
      try {
        fs.mkdirSync(at);
        stat = fs.lstatSync(at);
      } catch {
        return false;
      }
    }
    if (!stat.isDirectory()) return false;
  }
  return true;
}

/** Write one screenshot as a new file (whatever had its name removed first, never followed); false: not written. */
export function writeScreenshot(file: string, bytes: Buffer): boolean {
  try {
    const existing = fs.lstatSync(file);
    if (existing.isDirectory()) return false;
    fs.unlinkSync(file);
  } catch {
    // not there: the usual case
  }
  try {
    const fd = fs.openSync(file, WRITE_NEW, 0o644);
    try {
      fs.writeFileSync(fd, bytes);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch {
    // re-planted in between (EEXIST) or a link in the folder's path (ELOOP): no screenshot
    return false;
  }
}

const READ_NO_LINK = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW;
const MAX_SCREENSHOT_BYTES = 20 * 1024 * 1024;

/**
 * A screenshot's bytes, read from `root`/`rel` only when every folder on the way is the
 * workspace's own (no link) and the file is a regular file (a link there is not followed):
 * the app may have swapped it for a link to a secret before the host copies it away.
 */
export function readScreenshot(root: string, rel: string): Buffer | null {
  try {
    const realRoot = fs.realpathSync(root);
    const file = path.join(realRoot, rel);
    if (path.relative(realRoot, file).startsWith('..')) return null;
    if (fs.realpathSync(path.dirname(file)) !== path.dirname(file)) return null;
    const fd = fs.openSync(file, READ_NO_LINK);
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile() || stat.size > MAX_SCREENSHOT_BYTES) return null;
      return fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/**
 * Ready `dir` (inside root) for a new set of screenshots: a real folder of the workspace
 * (prepareScreenshotFolder), its old PNGs removed (unlink never follows a link: a planted
 * link goes, not what it points at), a `.gitignore` beside it made only when absent and
 * never through a link. False: the folder is not the workspace's own; nothing was touched.
 */
export function resetScreenshotFolder(dir: string, root: string, gitignoreText: string): boolean {
  if (!prepareScreenshotFolder(dir, root)) return false;
  try {
    const fd = fs.openSync(path.join(path.dirname(dir), '.gitignore'), WRITE_NEW, 0o644);
    try {
      fs.writeFileSync(fd, gitignoreText);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // already there (or a link planted there: left alone, never written through)
  }
  // Checked again right before: the folder must still be the workspace's own, not a link swapped in.
  if (!prepareScreenshotFolder(dir, root)) return false;
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.png')) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
    } catch {
      // a folder named *.png, or gone already
    }
  }
  return true;
}
