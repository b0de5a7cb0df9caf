// What `macs app` prints: a settled run (the URL, or why not with the output tail), the
// output tail and errors of `logs`, and the new lines `logs --follow` finds on each read.
import type { AppRunView } from '../server/rest/app-routes.js';

export type BackendMode = 'server' | 'local';

export function settledLines(run: AppRunView): string[] {
  switch (run.state) {
    case 'ready': {
      const taken = run.pinned_port_taken ? ` (the pinned port ${run.settings.pinned_port} was taken, so it is on ${run.port})` : '';
      return [run.url ?? `http://127.0.0.1:${run.port}/`, ...(run.reason ? [`warning: ${run.reason}`] : []), ...(taken ? [`note:${taken}`] : [])];
    }
    case 'exited':
      return [`The command ended with exit code ${run.exit_code ?? '?'}.`, ...tailLines(run)];
    case 'installing':
    case 'starting':
      return [`Still ${run.state} when the wait ran out; see: macs app logs ${run.project_id} --follow`, ...tailLines(run)];
    case 'idle':
      return ['The app was stopped before it was ready.'];
    case 'failed':
      return [`The app did not start: ${run.reason ?? 'no reason was given'}${run.failure ? ` [${run.failure}]` : ''}`, ...tailLines(run)];
  }
}

function tailLines(run: AppRunView): string[] {
  const tail = run.output_tail.trimEnd();
  return tail ? ['--- last output ---', ...tail.split('\n')] : ['(it wrote no output)'];
}

export function logLines(run: AppRunView, mode: BackendMode): string[] {
  const lines: string[] = [];
  if (run.state === 'idle' && !run.output_tail) {
    lines.push(
      mode === 'local'
        ? `The app of project ${run.project_id} is not running here (an app started without a server runs only as long as its macs app run).`
        : `The app of project ${run.project_id} is not running; start it with: macs app run ${run.project_id}`,
    );
    return lines;
  }
  if (run.output_tail.trimEnd()) lines.push(...run.output_tail.trimEnd().split('\n'));
  lines.push(`--- ${run.state}${run.url && run.state === 'ready' ? ` at ${run.url}` : ''}${run.reason ? `: ${run.reason}` : ''}`);
  for (const f of run.fingerprints) lines.push(`error ${f.fingerprint_id} (${f.source}, ×${f.count}): ${f.message.split('\n')[0]}`);
  return lines;
}

export function isRunning(run: AppRunView): boolean {
  return run.state === 'installing' || run.state === 'starting' || run.state === 'ready';
}

/**
 * New lines of the output: the tail read now, past the longest stretch it shares with the tail
 * read before (the API keeps the last 50 lines; more than that between two reads are skipped).
 */
export function newTailLines(before: string[], now: string[]): string[] {
  for (let k = Math.min(before.length, now.length); k > 0; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = before[before.length - k + i] === now[i];
    if (same) return now.slice(k);
  }
  return now;
}

export const linesOf = (tail: string) => (tail.trimEnd() ? tail.trimEnd().split('\n') : []);
