// File name → a small set of icon kinds for the tree (drawn as CSS glyphs; no icon font
// or CDN), and whether a file is binary by its name (the tree listing has no content).
export type IconKind =
  | 'ts'
  | 'js'
  | 'json'
  | 'md'
  | 'py'
  | 'html'
  | 'css'
  | 'go'
  | 'rust'
  | 'java'
  | 'c'
  | 'shell'
  | 'sql'
  | 'yaml'
  | 'config'
  | 'lock'
  | 'git'
  | 'docker'
  | 'test'
  | 'image'
  | 'archive'
  | 'font'
  | 'media'
  | 'binary'
  | 'text';

const BY_EXT: Record<string, IconKind> = {
  ts: 'ts', tsx: 'ts', mts: 'ts', cts: 'ts',
  js: 'js', jsx: 'js', mjs: 'js', cjs: 'js',
  json: 'json', jsonc: 'json', json5: 'json',
  md: 'md', markdown: 'md', mdx: 'md', rst: 'md',
  py: 'py', pyi: 'py', pyw: 'py', ipynb: 'py',
  html: 'html', htm: 'html', xml: 'html', svg: 'html', vue: 'html', svelte: 'html',
  css: 'css', scss: 'css', sass: 'css', less: 'css',
  go: 'go', rs: 'rust',
  java: 'java', kt: 'java', kts: 'java', scala: 'java', groovy: 'java',
  c: 'c', h: 'c', cc: 'c', cpp: 'c', cxx: 'c', hpp: 'c', cs: 'c', swift: 'c', m: 'c',
  sh: 'shell', bash: 'shell', zsh: 'shell', fish: 'shell', ps1: 'shell', bat: 'shell', cmd: 'shell',
  sql: 'sql',
  yml: 'yaml', yaml: 'yaml', toml: 'config', ini: 'config', cfg: 'config', conf: 'config', env: 'config', properties: 'config',
  lock: 'lock',
  png: 'image', jpg: 'image', jpeg: 'image', gif: 'image', webp: 'image', ico: 'image', bmp: 'image', tif: 'image', tiff: 'image', avif: 'image', icns: 'image',
  zip: 'archive', gz: 'archive', tgz: 'archive', tar: 'archive', bz2: 'archive', xz: 'archive', '7z': 'archive', rar: 'archive', zst: 'archive', jar: 'archive', whl: 'archive',
  woff: 'font', woff2: 'font', ttf: 'font', otf: 'font', eot: 'font',
  mp3: 'media', mp4: 'media', wav: 'media', ogg: 'media', webm: 'media', mov: 'media', flac: 'media', avi: 'media',
  exe: 'binary', dll: 'binary', so: 'binary', dylib: 'binary', bin: 'binary', o: 'binary', a: 'binary', class: 'binary', pyc: 'binary',
  wasm: 'binary', pdf: 'binary', db: 'binary', sqlite: 'binary', sqlite3: 'binary', node: 'binary', dat: 'binary', pack: 'binary', idx: 'binary',
  txt: 'text', log: 'text', csv: 'text', tsv: 'text',
};

const BY_NAME: Record<string, IconKind> = {
  'package-lock.json': 'lock', 'yarn.lock': 'lock', 'pnpm-lock.yaml': 'lock', 'cargo.lock': 'lock', 'poetry.lock': 'lock', 'go.sum': 'lock',
  '.gitignore': 'git', '.gitattributes': 'git', '.gitmodules': 'git',
  dockerfile: 'docker', '.dockerignore': 'docker', 'docker-compose.yml': 'docker', 'compose.yaml': 'docker',
  makefile: 'shell', '.env': 'config', '.editorconfig': 'config', '.npmrc': 'config', '.prettierrc': 'config', '.eslintrc': 'config',
  license: 'text', readme: 'md',
};

const BINARY_KINDS: ReadonlySet<IconKind> = new Set(['image', 'archive', 'font', 'media', 'binary']);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function iconKind(name: string): IconKind {
  const lower = name.toLowerCase();
  const byName = BY_NAME[lower];
  if (byName) return byName;
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(lower) || /^test_.*\.py$/.test(lower) || /_test\.(go|py)$/.test(lower)) return 'test';
  if (lower.startsWith('dockerfile')) return 'docker';
  return BY_EXT[extensionOf(name)] ?? 'text';
}

/** Binary by its name (images, archives, fonts, executables …); the engine decides for sure on read. */
export function isBinaryName(name: string): boolean {
  return BINARY_KINDS.has(iconKind(name));
}

/** The glyph drawn for a kind: two letters or a symbol, in the kind's color (files.css). */
export const ICON_GLYPH: Record<IconKind, string> = {
  ts: 'TS', js: 'JS', json: '{}', md: 'M↓', py: 'Py', html: '<>', css: '#', go: 'Go', rust: 'Rs', java: 'J', c: 'C',
  shell: '$', sql: 'DB', yaml: 'Y', config: '⚙', lock: 'LK', git: 'G', docker: 'D', test: '✓', image: '▣', archive: 'Z',
  font: 'F', media: '▶', binary: '01', text: '≡',
};
