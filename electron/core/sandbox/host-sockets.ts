// Host Unix sockets the sandbox could still reach. connect() on a socket file is not
// stopped by a read-only bind mount (EROFS only applies to regular files, folders and
// symlinks), so a socket anywhere in the visible tree — /var/lib/…/docker.sock, an
// LXD or database socket, one in a project folder — would be a way out. /run, /tmp
// and HOME are hidden wholesale; every other *bound* socket the kernel lists in
// /proc/net/unix gets /dev/null mounted over it. Abstract sockets (@name) belong to
// the network namespace, so --unshare-net already cuts them off.
import fs from 'node:fs';
import path from 'node:path';

/** More than this and something is odd; the rest stays reachable but the list stays bounded. */
const MAX_MASKS = 2000;

/** Parse /proc/net/unix text into the distinct filesystem socket paths it names. */
export function parseProcNetUnix(text: string): string[] {
  const paths = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    // Num RefCount Protocol Flags Type St Inode Path — the path is everything after the 7th field.
    const match = /^\s*\S+:\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s(.+)$/.exec(line);
    const p = match?.[1];
    if (p && p.startsWith('/')) paths.add(p);
  }
  return [...paths];
}

/** Socket files that still exist and that the sandbox would see (`visible`). */
export function hostSocketsToMask(visible: (p: string) => boolean, procNetUnix = '/proc/net/unix'): string[] {
  let text: string;
  try {
    text = fs.readFileSync(procNetUnix, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const listed of parseProcNetUnix(text)) {
    if (out.length >= MAX_MASKS) break;
    // Stale entries (the file was unlinked but the socket lives on) are common; a mount
    // over a missing path would make bwrap fail, so only existing sockets count. The
    // folder is resolved (/var/run → /run) so the visibility check sees the real place.
    try {
      const p = path.join(fs.realpathSync(path.dirname(listed)), path.basename(listed));
      if (!out.includes(p) && visible(p) && fs.lstatSync(p).isSocket()) out.push(p);
    } catch {
      // gone: nothing to reach
    }
  }
  return out;
}
