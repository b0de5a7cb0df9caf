// Python projects: app.py / main.py / server.py (Flask, FastAPI or plain), a WSGI or ASGI
// module, with requirements.txt installed into the project venv (.venv).
import type { RunPlan } from '../../../../shared/index.js';
import { pipInstall, requiredPythonPackages } from './deps.js';
import type { DetectContext, ReadText } from './types.js';

const ENTRY_FILES = ['app.py', 'main.py', 'server.py'];

/** The source serves HTTP (standard library servers, the common frameworks, sockets). */
export function pythonServesHttp(source: string): boolean {
  return /\bhttp\.server\b|\bHTTPServer\b|\bsocketserver\b|serve_forever|\bFlask\s*\(|\bFastAPI\s*\(|\bStarlette\s*\(|\baiohttp\b|\bbottle\b|\buvicorn\b|\.listen\s*\(|\bmake_server\s*\(/.test(source);
}

/** `app = Flask(__name__)` → app; the framework's usual name otherwise. */
function appVariable(source: string, constructor: string, fallback: string): string {
  return new RegExp(`^(\\w+)\\s*(?::\\s*\\w+\\s*)?=\\s*${constructor}\\s*\\(`, 'm').exec(source)?.[1] ?? fallback;
}

interface PythonEnv {
  /** The interpreter: the project venv once requirements.txt is installed into it. */
  python: string;
  has: (module: string) => boolean;
}

function pythonEnv(files: readonly string[], readText: ReadText, ctx: DetectContext): PythonEnv {
  const venv = files.includes('requirements.txt');
  const required = venv ? requiredPythonPackages(readText) : new Set<string>();
  return { python: venv ? '.venv/bin/python' : 'python3', has: (m) => required.has(m) || (ctx.pythonModules?.has(m) ?? false) };
}

export function pythonEntryPlans(files: readonly string[], readText: ReadText, ctx: DetectContext): RunPlan[] {
  const env = pythonEnv(files, readText, ctx);
  const install = pipInstall(files, readText, ctx);
  const out: RunPlan[] = [];
  for (const file of ENTRY_FILES) {
    if (!files.includes(file)) continue;
    const source = readText(file);
    if (source === null) continue;
    const module = file.slice(0, -3);
    if (/\b(FastAPI|Starlette)\s*\(/.test(source) && env.has('uvicorn')) {
      const app = appVariable(source, '(?:FastAPI|Starlette)', 'app');
      out.push({ kind: 'asgi', command: `${env.python} -m uvicorn ${module}:${app} --host 127.0.0.1 --port "$PORT"`, source: `${file} defines an ASGI app (run with uvicorn)`, install, web: true });
      continue;
    }
    if (/\bFlask\s*\(/.test(source) && env.has('flask')) {
      const app = appVariable(source, 'Flask', 'app');
      out.push({ kind: 'wsgi', command: `${env.python} -m flask --app ${module}:${app} run --host 127.0.0.1 --port "$PORT"`, source: `${file} defines a Flask app`, install, web: true });
      continue;
    }
    out.push({ kind: 'python', command: `${env.python} ${file}`, source: file, install, web: pythonServesHttp(source) });
  }
  return out;
}

/** wsgi.py (`application`, served by the standard library's wsgiref) or asgi.py (uvicorn). */
export function pythonModulePlans(files: readonly string[], readText: ReadText, ctx: DetectContext): RunPlan[] {
  const env = pythonEnv(files, readText, ctx);
  const install = pipInstall(files, readText, ctx);
  const out: RunPlan[] = [];
  const wsgi = files.includes('wsgi.py') ? readText('wsgi.py') : null;
  if (wsgi !== null && /^(application|app)\s*=/m.test(wsgi)) {
    const name = /^application\s*=/m.test(wsgi) ? 'application' : 'app';
    const serve = `import os, wsgi; from wsgiref.simple_server import make_server; make_server('127.0.0.1', int(os.environ['PORT']), wsgi.${name}).serve_forever()`;
    out.push({ kind: 'wsgi', command: `${env.python} -c "${serve}"`, source: `wsgi.py defines ${name} (served by wsgiref)`, install, web: true });
  }
  const asgi = files.includes('asgi.py') ? readText('asgi.py') : null;
  if (asgi !== null && /^(application|app)\s*=/m.test(asgi)) {
    const name = /^application\s*=/m.test(asgi) ? 'application' : 'app';
    out.push({ kind: 'asgi', command: `${env.python} -m uvicorn asgi:${name} --host 127.0.0.1 --port "$PORT"`, source: `asgi.py defines ${name} (run with uvicorn)`, install, web: true });
  }
  return out;
}
