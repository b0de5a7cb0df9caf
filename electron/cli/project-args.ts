// `macs project …` command lines: its own parser (its --version takes a version, as in
// `macs replay`), one usage text per subcommand, and the options each one accepts.
import { parseArgs } from 'node:util';

export const PROJECT_SUBCOMMANDS = {
  new: {
    usage: 'macs project new "prompt" [--build] [--name NAME] [--model M] [--wait]\n  macs project new --folder PATH [--name NAME]',
    about: 'a new project from its first turn (chat, or with --build the build pipeline), or a folder opened as a project',
    options: ['build', 'name', 'model', 'wait', 'folder'],
  },
  list: { usage: 'macs project list [SEARCH] [--limit N]', about: 'projects, pinned first, then by last activity; SEARCH matches the name or folder', options: ['limit'] },
  show: { usage: 'macs project show ID', about: 'state, turns, versions and files of a project', options: [] },
  add: {
    usage: 'macs project add ID "prompt" [--build] [--model M] [--wait]',
    about: 'the next turn of a project: it sees the files as they are now and the conversation so far',
    options: ['build', 'model', 'wait'],
  },
  restore: { usage: 'macs project restore ID VERSION', about: 'bring the files back to a version (2 or v2, as show lists them) as a new version', options: [] },
  undo: { usage: 'macs project undo ID', about: 'restore the version before the last turn (itself undoable)', options: [] },
  pause: { usage: 'macs project pause ID', about: 'queued turns wait (a running turn finishes)', options: [] },
  resume: { usage: 'macs project resume ID', about: 'queued turns run again', options: [] },
  export: { usage: 'macs project export ID [--version V] [-o FILE.zip]', about: 'a zip of the project as it is now, or at version V', options: ['version', 'out'] },
  locate: { usage: 'macs project locate ID PATH', about: 'an opened folder that moved: point its project at where it is now', options: [] },
  rename: { usage: 'macs project rename ID NAME', about: 'give a project another name', options: [] },
  pin: { usage: 'macs project pin ID', about: 'keep a project at the top of the list', options: [] },
  unpin: { usage: 'macs project unpin ID', about: 'let a pinned project take its place by activity again', options: [] },
  delete: {
    usage: 'macs project delete ID [--delete-files]',
    about: 'forget a project and its conversation; a generated project’s files go only with --delete-files (an opened folder is never deleted)',
    options: ['delete-files'],
  },
} as const;

export type ProjectSubcommand = keyof typeof PROJECT_SUBCOMMANDS;

/** Options every subcommand takes: where to send it, and how to print. */
const COMMON = ['json', 'url', 'api-key', 'local', 'help'];

const PROJECT_USAGE = `Usage: macs project <command> …  (a project is what you work on, turn after turn)

${Object.values(PROJECT_SUBCOMMANDS)
  .map((s) => `  ${s.usage}\n      ${s.about}`)
  .join('\n')}

  Where it runs: the server at --url / MACS_URL (with --api-key or MACS_API_KEY), or one answering on
  127.0.0.1:$MACS_PORT; with none (or --local), the data dir itself ($MACS_DATA_DIR), and a new turn
  is then followed to its end in this process (as macs run does). --wait follows it on a server too.
  --json prints the API's JSON. Exit codes as the client commands: 0 ok · 1 failed, or refused now
  (a turn is running) · 2 usage · 3 not found · 4 cannot reach the server · 5 unauthorized.`;

const OPTIONS = {
  build: { type: 'boolean' },
  name: { type: 'string' },
  model: { type: 'string', short: 'm' },
  wait: { type: 'boolean', short: 'w' },
  folder: { type: 'string' },
  limit: { type: 'string' },
  version: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'delete-files': { type: 'boolean' },
  json: { type: 'boolean' },
  url: { type: 'string' },
  'api-key': { type: 'string' },
  local: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ProjectValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export type ParsedProjectArgs =
  | { ok: true; help: string }
  | { ok: true; help?: undefined; sub: ProjectSubcommand; args: string[]; values: ProjectValues }
  | { ok: false; message: string };

const isSub = (name: string | undefined): name is ProjectSubcommand => name !== undefined && Object.hasOwn(PROJECT_SUBCOMMANDS, name);

/** `argv` is the whole command line, `project` included. */
export function parseProjectArgs(argv: string[]): ParsedProjectArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const { values, positionals } = parsed;
  const [, sub, ...args] = positionals;
  if (!isSub(sub)) {
    if (values.help || sub === undefined) return { ok: true, help: PROJECT_USAGE };
    return { ok: false, message: `There is no "macs project ${sub}"; the commands are ${Object.keys(PROJECT_SUBCOMMANDS).join(', ')}.` };
  }
  const spec = PROJECT_SUBCOMMANDS[sub];
  if (values.help) return { ok: true, help: `Usage: ${spec.usage}\n  ${spec.about}\n\n${PROJECT_USAGE.slice(PROJECT_USAGE.indexOf('  Where it runs'))}` };
  const allowed: readonly string[] = [...spec.options, ...COMMON];
  const stray = Object.keys(values).find((k) => !allowed.includes(k));
  if (stray) return { ok: false, message: `--${stray} does not apply to macs project ${sub}; see: macs project ${sub} --help` };
  if (values.limit !== undefined && !/^[1-9]\d*$/.test(values.limit)) return { ok: false, message: `--limit must be a whole number ≥ 1, got "${values.limit}".` };
  return { ok: true, sub, args, values: values as ProjectValues };
}
