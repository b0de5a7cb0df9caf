#!/usr/bin/env node
// The `macs` command. The TypeScript sources are bundled into dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/macs.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('macs is not built yet. Run: npm run build\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
