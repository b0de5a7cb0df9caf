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
