// Folders a workspace must never be. A task writes files and runs commands in its
// workspace, so opening `/`, `/etc` or the whole home folder would put the user's
// system or every personal file within a model's reach. Pure (paths in, verdict
// out) so the rules for every platform are testable on any machine.
import path from 'node:path';

export type Platform = 'linux' | 'darwin' | 'win32' | (string & {});

interface Rule {
  path: string;
  /** exact: only the folder itself; subtree: the folder and everything inside it. */
  scope: 'exact' | 'subtree';
  /** "a system folder", "the root of the file system"... */
  what: string;
  /** Places inside a subtree where people do keep projects. */
  except?: string[];
  isHome?: boolean;
}

const SYSTEM = 'a system folder';

const POSIX_RULES: Rule[] = [
  { path: '/', scope: 'exact', what: 'the root of the file system' },
  ...['/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/libexec', '/proc', '/sys', '/dev', '/boot', '/run', '/snap', '/lost+found'].map(
    (p): Rule => ({ path: p, scope: 'subtree', what: SYSTEM }),
  ),
  { path: '/usr', scope: 'subtree', what: SYSTEM, except: ['/usr/src', '/usr/local/src'] },
  { path: '/var', scope: 'subtree', what: SYSTEM, except: ['/var/www', '/var/tmp', '/var/folders'] },
  ...['/home', '/tmp', '/opt', '/mnt', '/media', '/srv'].map((p): Rule => ({ path: p, scope: 'exact', what: 'a top-level system folder' })),
];

const DARWIN_RULES: Rule[] = [
  ...['/System', '/Library', '/Applications', '/cores', '/private/etc'].map((p): Rule => ({ path: p, scope: 'subtree', what: SYSTEM })),
  // /etc, /var and /tmp are links into /private on macOS: realpath lands here.
  { path: '/private/var', scope: 'subtree', what: SYSTEM, except: ['/private/var/folders', '/private/var/tmp'] },
  ...['/private', '/private/tmp', '/Volumes'].map((p): Rule => ({ path: p, scope: 'exact', what: 'a top-level system folder' })),
  { path: '/Users', scope: 'exact', what: 'the folder of all user accounts' },
];

function windowsRules(drive: string): Rule[] {
  const on = (p: string) => `${drive}\\${p}`;
  return [
    { path: `${drive}\\`, scope: 'exact', what: 'the root of a drive' },
    ...['Windows', 'Program Files', 'Program Files (x86)', 'Program Files (Arm)', 'ProgramData', '$Recycle.Bin', 'System Volume Information', 'Recovery'].map(
      (p): Rule => ({ path: on(p), scope: 'subtree', what: SYSTEM }),
    ),
    { path: on('Users'), scope: 'exact', what: 'the folder of all user accounts' },
    { path: on('Users\\Default'), scope: 'subtree', what: SYSTEM },
  ];
}

function homeRules(home: string, platform: Platform): Rule[] {
  const p = pathFor(platform);
  const rules: Rule[] = [{ path: home, scope: 'exact', what: 'your home folder', isHome: true }];
  // The app data of every program the user runs; a task has no business there.
  if (platform === 'darwin') rules.push({ path: p.join(home, 'Library'), scope: 'subtree', what: "your account's Library folder" });
  if (platform === 'win32') rules.push({ path: p.join(home, 'AppData'), scope: 'subtree', what: "your account's AppData folder" });
  // root's home is a system folder for everyone else.
  if (platform !== 'win32' && !(home === '/root' || home.startsWith('/root/'))) rules.push({ path: '/root', scope: 'subtree', what: "the administrator's home folder" });
  return rules;
}

function platformRules(target: string, platform: Platform): Rule[] {
  if (platform === 'win32') {
    const drive = /^[a-zA-Z]:/.exec(target)?.[0];
    return drive ? windowsRules(drive.toUpperCase()) : [];
  }
  return platform === 'darwin' ? [...POSIX_RULES, ...DARWIN_RULES] : POSIX_RULES;
}

export function pathFor(platform: Platform): typeof path.posix {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** macOS and Windows file systems are case-insensitive by default. */
function keyFor(platform: Platform): (p: string) => string {
  return platform === 'win32' || platform === 'darwin' ? (p) => p.toLowerCase() : (p) => p;
}

export interface FolderContext {
  /** The user's home folder (os.homedir()), realpath'd when possible. */
  home: string;
  platform: Platform;
  /** More folders to refuse with everything inside, e.g. MACS's own data folder. */
  reserved?: ReadonlyArray<{ path: string; what: string }>;
}

export interface SystemFolderRefusal {
  code: 'SYSTEM_FOLDER' | 'HOME_FOLDER';
  reason: string;
  /** The rule's folder (equal to the path, or an ancestor of it). */
  folder: string;
}

/**
 * Why `absPath` (absolute, already resolved) may not be a workspace, or null when it may.
 * Besides the listed folders, every ancestor of the home folder is refused: opening
 * `/home` or `/data/users` hands over other accounts' files, or all of your own.
 */
export function systemFolderRefusal(absPath: string, ctx: FolderContext): SystemFolderRefusal | null {
  const p = pathFor(ctx.platform);
  const key = keyFor(ctx.platform);
  const target = p.resolve(absPath);
  const targetKey = key(target);
  const isInside = (folderKey: string) => targetKey.startsWith(folderKey.endsWith(p.sep) ? folderKey : folderKey + p.sep);
  const home = p.resolve(ctx.home);

  const rules: Rule[] = [...homeRules(home, ctx.platform), ...(ctx.reserved ?? []).map((r): Rule => ({ path: p.resolve(r.path), scope: 'subtree', what: r.what }))];
  // Inside the home folder is the user's own ground, even when home itself lives
  // somewhere system-like (/var/lib/jenkins): only the rules above apply there.
  if (!isAncestor(home, target, p, key)) rules.push(...platformRules(target, ctx.platform));
  if (ctx.platform === 'win32' && /^\\\\[^\\]+\\[^\\]+\\?$/.test(target)) {
    const share = target.replace(/\\$/, '');
    return { code: 'SYSTEM_FOLDER', folder: share, reason: `${share} is the root of a network share; open a project folder instead.` };
  }

  for (const rule of rules) {
    const ruleKey = key(rule.path);
    const same = targetKey === ruleKey;
    const inside = rule.scope === 'subtree' && isInside(ruleKey);
    if (!same && !inside) continue;
    if (rule.except?.some((e) => targetKey === key(e) || isInside(key(e)))) continue;
    const reason = same
      ? rule.isHome
        ? `${target} is your home folder; open a project folder inside it instead.`
        : `${target} is ${rule.what}; open a project folder instead.`
      : `${target} is inside ${rule.path}, ${rule.what}; open a project folder instead.`;
    return { code: rule.isHome ? 'HOME_FOLDER' : 'SYSTEM_FOLDER', folder: rule.path, reason };
  }

  // A folder holding a reserved one (MACS's data folder: its database, key, generated projects)
  // would let a turn's files land in it: `data/macs.db` is a path inside the project.
  for (const r of ctx.reserved ?? []) {
    const reserved = p.resolve(r.path);
    if (isAncestor(target, reserved, p, key)) {
      return { code: 'SYSTEM_FOLDER', folder: target, reason: `${target} contains ${reserved}, ${r.what}; open a project folder that does not hold it.` };
    }
  }
  if (isAncestor(target, home, p, key)) {
    return { code: 'HOME_FOLDER', folder: target, reason: `${target} contains your home folder (${home}); open a project folder inside your home folder instead.` };
  }
  return null;
}

function isAncestor(folder: string, of: string, p: typeof path.posix, key: (s: string) => string): boolean {
  const rel = p.relative(key(folder), key(of));
  return rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel);
}
