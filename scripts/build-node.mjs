// Bundles the Node side with esbuild: Electron main + preload (CommonJS, as Electron's
// sandboxed preload requires) and the `macs` CLI (ESM). npm packages stay external for
// main and CLI (native modules must load from node_modules); the preload is self-contained.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { __MACS_VERSION__: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/cli/macs.ts'], outfile: 'dist/cli/macs.js', format: 'esm', packages: 'external' }),
]);
console.log('built dist/electron/main.cjs, dist/electron/preload.cjs, dist/cli/macs.js');
