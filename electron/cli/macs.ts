import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/config/index.js';
import type { CliContext } from './context.js';
import { runCommand } from './run-command.js';
import { serveCommand } from './serve-command.js';

declare const __MACS_VERSION__: string;
const VERSION = typeof __MACS_VERSION__ === 'string' ? __MACS_VERSION__ : '0.0.0-dev';

const USAGE = `macs ${VERSION} — local, offline code generation with Ollama

Usage:
  macs serve [--port N]                       serve the UI and API on http://127.0.0.1:N (token printed)
  macs run "prompt" [--model M] [--out DIR]   run one chat task headless; files go to the task workspace (and DIR)
  macs --version | --help

Environment:
  MACS_DATA_DIR   data directory (default: the desktop app's userData folder)
  MACS_PORT       port for serve (default 7421; 0 = any free port)
  OLLAMA_HOST     Ollama address (default http://127.0.0.1:11434)`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const ctx: CliContext = {
    version: VERSION,
    dataDir: defaultDataDir(env),
    rendererDir: env.MACS_RENDERER_DIR ?? path.resolve(here, '../renderer'),
    env,
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        model: { type: 'string', short: 'm' },
        out: { type: 'string', short: 'o' },
        'num-ctx': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    ctx.stderr(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    ctx.stdout(VERSION);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    ctx.stdout(USAGE);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case 'serve': {
      const port = Number(values.port ?? env.MACS_PORT ?? 7421);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        ctx.stderr(`--port must be a number from 0 to 65535, got "${values.port ?? env.MACS_PORT}".`);
        return 2;
      }
      return serveCommand(ctx, { port });
    }
    case 'run': {
      const prompt = rest.join(' ').trim();
      if (!prompt) {
        ctx.stderr('macs run needs a prompt, e.g.: macs run "a Python CLI that converts CSV to JSON, with tests"');
        return 2;
      }
      const numCtx = values['num-ctx'] ? Number(values['num-ctx']) : undefined;
      if (numCtx !== undefined && (!Number.isInteger(numCtx) || numCtx < 512)) {
        ctx.stderr('--num-ctx must be a whole number ≥ 512.');
        return 2;
      }
      return runCommand(ctx, { prompt, model: values.model, out: values.out, numCtx });
    }
    default:
      ctx.stderr(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}
