// The environment a sandboxed command sees: an allowlist, never a copy of the app's.
// The app's environment holds the API key, OLLAMA_* and MACS_* settings and whatever
// tokens the user exported in their shell; generated code must see none of it.
import fs from 'node:fs';
import path from 'node:path';

/** Passed through from the host when set: locale, terminal, per-language roots (paths, not secrets). */
const PASS_THROUGH = [
  'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'LC_NUMERIC', 'LC_TIME', 'LC_COLLATE', 'TZ',
  'TERM', 'COLORTERM',
  'JAVA_HOME', 'GOROOT', 'GOPATH', 'PYENV_ROOT', 'NVM_DIR', 'NVM_BIN', 'CARGO_HOME', 'RUSTUP_HOME',
  'SDKMAN_DIR', 'VOLTA_HOME', 'BUN_INSTALL', 'DENO_INSTALL', 'ASDF_DIR', 'ASDF_DATA_DIR', 'DOTNET_ROOT',
  'MAVEN_HOME', 'M2_HOME', 'GRADLE_HOME',
] as const;

/** Never set, whoever asks (host or the caller's extras): the app's own settings and anything secret-looking. */
const DENIED_NAME = /^(OLLAMA_|MACS_|ELECTRON_|NODE_OPTIONS$|LD_|DYLD_|SSH_|GPG_|AWS_|AZURE_|GOOGLE_|GCP_|GITHUB_|GH_|GITLAB_|NPM_CONFIG_|DOCKER_|KUBECONFIG|XDG_RUNTIME_DIR|DBUS_|DISPLAY|WAYLAND_)|TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|PRIVATE|AUTH|COOKIE|SESSION/i;

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Standard system folders, always on PATH, after anything kept from the host. */
export const BASE_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function isDeniedEnvName(name: string): boolean {
  return !VALID_NAME.test(name) || DENIED_NAME.test(name);
}

export interface EnvInputs {
  hostEnv: NodeJS.ProcessEnv;
  /** HOME inside the sandbox (the private one). */
  home: string;
  /** TMPDIR inside the sandbox. */
  tmp: string;
  user: string;
  /** PATH entries that stay visible inside (the caller filters what the sandbox hides). */
  path: string[];
  extra?: Record<string, string>;
  tty?: boolean;
}

/**
 * Host PATH entries worth keeping: absolute, existing and accepted by `visible`
 * (entries in a hidden home folder would only slow every lookup), then BASE_PATH.
 */
export function sanitizePath(hostPath: string | undefined, visible: (dir: string) => boolean): string[] {
  const out: string[] = [];
  for (const dir of (hostPath ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir) || out.includes(dir) || !visible(dir)) continue;
    if (fs.existsSync(dir)) out.push(dir);
  }
  for (const dir of BASE_PATH) if (!out.includes(dir)) out.push(dir);
  return out;
}

export function defaultShell(): string {
  return fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

/**
 * Tool caches go to the sandbox's private TMPDIR, never the workspace. Python trusts a
 * cached .pyc while the source's recorded mtime (whole seconds) and size match, so a
 * same-size fix written within the same second as the last run would never be tested;
 * with PYTHONPYCACHEPREFIX set, Python also ignores any __pycache__ already in the
 * workspace. pytest's cache provider writes .pytest_cache (and feeds --lf/--ff); mypy
 * and ruff keep per-folder caches. Caches outside the workspace (jest's in TMPDIR, Go's
 * and npm's in HOME) are already private; build outputs (cargo's target/) are results
 * the user wants, not caches.
 */
function toolCacheEnv(tmp: string): Record<string, string> {
  return {
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONPYCACHEPREFIX: path.join(tmp, 'macs-cache', 'pycache'),
    PYTEST_ADDOPTS: '-p no:cacheprovider',
    MYPY_CACHE_DIR: path.join(tmp, 'macs-cache', 'mypy'),
    RUFF_CACHE_DIR: path.join(tmp, 'macs-cache', 'ruff'),
  };
}

export function scrubbedEnv(inputs: EnvInputs): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = inputs.hostEnv[name];
    if (value !== undefined && value !== '' && !value.includes('\0')) env[name] = value;
  }
  if (inputs.tty && !env.TERM) env.TERM = 'xterm-256color';
  if (!env.LANG && !env.LC_ALL) env.LANG = 'C.UTF-8';
  Object.assign(env, {
    PATH: inputs.path.join(path.delimiter),
    HOME: inputs.home,
    TMPDIR: inputs.tmp,
    USER: inputs.user,
    LOGNAME: inputs.user,
    SHELL: defaultShell(),
  });
  const caches = toolCacheEnv(inputs.tmp);
  Object.assign(env, caches);
  for (const [name, value] of Object.entries(inputs.extra ?? {})) {
    if (isDeniedEnvName(name) || typeof value !== 'string' || value.includes('\0')) continue;
    // HOME/TMPDIR/PATH describe the sandbox itself; a caller cannot point them elsewhere.
    if (name === 'HOME' || name === 'TMPDIR' || name === 'PATH') continue;
    // Nor can it bring the caches back into the workspace; its own pytest options still count.
    if (name in caches && name !== 'PYTEST_ADDOPTS') continue;
    env[name] = name === 'PYTEST_ADDOPTS' ? `${caches.PYTEST_ADDOPTS} ${value}`.trim() : value;
  }
  return env;
}
