// `npm test`: typecheck, lint, build (the e2e tests drive the built app), then every
// vitest project (unit, integration, e2e). Ends with one plain line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const extraArgs = process.argv.slice(2);

function step(name, cmd, args) {
  console.log(`\n── ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  console.log(`── ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

let checksPassed = 0;
let checksFailed = 0;
for (const [name, cmd, args] of [
  ['typecheck', npx, ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint (layer arrows)', npx, ['eslint', '.']],
  ['build', npm, ['run', '--silent', 'build']],
]) {
  if (step(name, cmd, args)) checksPassed++;
  else checksFailed++;
}

const reportDir = mkdtempSync(path.join(tmpdir(), 'macs-vitest-'));
const reportFile = path.join(reportDir, 'report.json');
step('vitest', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...extraArgs]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  // A test file that fails to load has no tests but is a failure.
  failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
} catch (err) {
  console.error(`Could not read the vitest report: ${err.message}`);
  failed += 1;
}
rmSync(reportDir, { recursive: true, force: true });

// The static checks count as tests too: a typecheck or lint failure fails the run.
passed += checksPassed;
failed += checksFailed;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
