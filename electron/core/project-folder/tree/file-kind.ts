// A coarse kind per file, from its name alone, so the renderer can pick an icon
// without the engine knowing anything about icons. Order of the checks matters:
// a test file is a test before it is code, a dotfile config is config before data.

export type FileKind = 'code' | 'markup' | 'style' | 'data' | 'doc' | 'image' | 'archive' | 'binary' | 'config' | 'test' | 'other';

const BY_EXTENSION: Record<string, FileKind> = {};
function kind(kindName: FileKind, extensions: string): void {
  for (const ext of extensions.split(' ')) BY_EXTENSION[ext] = kindName;
}

kind('code', 'ts tsx mts cts js jsx mjs cjs py pyi rb go rs java kt kts scala groovy c h cc cpp cxx hpp hh hxx m mm cs fs fsx vb swift dart php pl');
kind('code', 'pm lua r jl ex exs erl hrl clj cljs elm hs ml mli nim zig v sol sh bash zsh fish ps1 psm1 bat cmd sql graphql gql proto wat asm s vue svelte astro');
kind('markup', 'html htm xhtml xml xsl xslt mdx jinja jinja2 j2 hbs handlebars ejs pug erb twig liquid njk');
kind('style', 'css scss sass less styl stylus pcss postcss');
kind('data', 'json jsonc json5 jsonl ndjson csv tsv yaml yml toml parquet avro arrow sqlite sqlite3 db geojson');
kind('doc', 'md markdown rst txt adoc asciidoc org tex pdf doc docx odt rtf pages epub');
kind('image', 'svg png jpg jpeg gif webp bmp ico icns tif tiff avif heic psd ai eps raw');
kind('archive', 'zip tar gz tgz bz2 xz zst 7z rar jar war ear whl deb rpm dmg iso apk');
kind('binary', 'exe dll so dylib a o obj lib class pyc pyo wasm node bin dat woff woff2 ttf otf eot mp3 mp4 wav ogg flac mov avi mkv webm');
kind('config', 'ini cfg conf properties env editorconfig lock');

/** Whole file names (lower case) that say more than their extension. */
const BY_NAME: Record<string, FileKind> = {
  'package.json': 'config',
  'tsconfig.json': 'config',
  'jsconfig.json': 'config',
  'package-lock.json': 'config',
  'pnpm-lock.yaml': 'config',
  'yarn.lock': 'config',
  'cargo.toml': 'config',
  'cargo.lock': 'config',
  'pyproject.toml': 'config',
  'go.mod': 'config',
  'go.sum': 'config',
  'gemfile': 'config',
  'gemfile.lock': 'config',
  'makefile': 'config',
  'cmakelists.txt': 'config',
  'dockerfile': 'config',
  'containerfile': 'config',
  'procfile': 'config',
  'license': 'doc',
  'licence': 'doc',
  'readme': 'doc',
  'changelog': 'doc',
  'authors': 'doc',
  'notice': 'doc',
};

/** `foo.test.ts`, `foo_test.go`, `test_foo.py`, `FooTest.java`, and anything under a tests folder. */
const TEST_NAME = /(^|[._-])(test|tests|spec)[._-]|(Test|Tests|Spec)\.(java|kt|scala|cs|swift)$/;
const TEST_FOLDER = /(^|\/)(__tests__|tests?|spec|__snapshots__)\//;
/** Config files that are named by convention: `.eslintrc`, `vite.config.ts`, `.prettierrc.json`, `.env.local`. */
const CONFIG_NAME = /^\.[^.]+rc(\.[a-z]+)?$|\.config\.[a-z]+$|^\.env(\..+)?$|^\.(gitignore|gitattributes|gitmodules|npmignore|dockerignore|editorconfig|nvmrc|node-version|prettierignore|eslintignore)$/i;

export function fileKind(path: string): FileKind {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  const byName = BY_NAME[lower];
  if (byName) return byName;
  if (CONFIG_NAME.test(name)) return 'config';
  const dot = lower.lastIndexOf('.');
  const byExt = dot > 0 ? BY_EXTENSION[lower.slice(dot + 1)] : undefined;
  // Only source files can be tests: `tests/fixture.png` is still an image.
  if (byExt === 'code' && (TEST_NAME.test(name) || TEST_FOLDER.test(path))) return 'test';
  return byExt ?? 'other';
}
