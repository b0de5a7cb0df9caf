import type { AppRun, ContractHandlers, ErrorFingerprint, MethodParams, MethodResult, Plan } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import type { PreviewService } from '../preview/index.js';
import type { EngineContext } from './engine-context.js';

type AppHandlers = Pick<ContractHandlers, 'apps.detect' | 'apps.configure' | 'apps.run' | 'apps.stop' | 'apps.status' | 'apps.list' | 'apps.fixError'>;

/** "Fix this error" turns per error fingerprint; after them the user restores a working version instead (no endless fix loop). */
export const FIX_ATTEMPTS_PER_ERROR = 2;

/** Characters of a stack sent into the fix turn (the top frames are what matter). */
const STACK_MAX_CHARS = 4000;

type CreateTask = (params: MethodParams<'tasks.create'>) => Promise<MethodResult<'tasks.create'>>;

/** The apps.* methods: running what a project built (issue 14), mapped onto the preview service. */
export function createAppHandlers(ctx: EngineContext, createTask: CreateTask): AppHandlers {
  // Fix turns being created (tasks.create awaits the model list): counted as tries, so two quick clicks cannot make a third.
  const pendingFixes = new Map<string, number>();
  const preview = (): PreviewService => {
    if (!ctx.preview) throw new MacsError('NOT_SUPPORTED', 'This MACS cannot run apps: the preview service is not available in this process.');
    return ctx.preview;
  };
  return {
    'apps.detect': async ({ projectId }) => {
      ctx.projects.require(projectId); // PROJECT_NOT_FOUND before anything reads a folder
      return preview().detect(projectId);
    },
    'apps.configure': async ({ projectId, ...patch }) => {
      ctx.projects.require(projectId);
      // Only the fields given change; undefined would read as "set to nothing".
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      return { run: await preview().configure(projectId, defined) };
    },
    'apps.run': async ({ projectId }) => {
      ctx.projects.requireForTurn(projectId); // a missing folder cannot run (PROJECT_FOLDER_MISSING)
      return { run: await preview().run(projectId) };
    },
    'apps.stop': async ({ projectId }) => {
      ctx.projects.require(projectId);
      return { run: await preview().stop(projectId) };
    },
    'apps.status': async ({ projectId }) => {
      ctx.projects.require(projectId);
      return { run: preview().status(projectId) };
    },
    'apps.list': async () => ({ runs: ctx.preview ? ctx.preview.list() : [] }),
    'apps.fixError': async ({ projectId, fingerprintId }) => {
      ctx.projects.require(projectId);
      const service = preview();
      const fingerprint = service.fingerprint(projectId, fingerprintId);
      if (!fingerprint) {
        throw new MacsError('RUN_ERROR_NOT_FOUND', 'That error is no longer in this project’s run (it was restarted or stopped); run the app again and pick the error from the new run.', {
          projectId,
          fingerprintId,
        });
      }
      const key = `${projectId}\n${fingerprintId}`;
      const pending = pendingFixes.get(key) ?? 0;
      if (fingerprint.fixAttempts + pending >= FIX_ATTEMPTS_PER_ERROR) {
        throw new MacsError(
          'FIX_LIMIT_REACHED',
          `A fix for this error was already tried twice; restore the last working version from Versions, or describe the fix yourself in a new turn.`,
          { projectId, fingerprintId, fixAttempts: fingerprint.fixAttempts },
        );
      }
      const run = service.status(projectId);
      pendingFixes.set(key, pending + 1);
      try {
        const { task } = await createTask({
          prompt: fixPrompt(fingerprint, run),
          kind: 'build',
          projectId,
          ...(fingerprint.files.length > 0 ? { context: { pinned: fingerprint.files.slice(0, 200) } } : {}),
          metadata: { fixError: { fingerprintId, attempt: fingerprint.fixAttempts + pending + 1 } },
        });
        // Counted once the turn exists: a refused tasks.create (no model installed) costs no try.
        service.noteFixAttempt(projectId, fingerprintId);
        return { task };
      } finally {
        const left = (pendingFixes.get(key) ?? 1) - 1;
        if (left > 0) pendingFixes.set(key, left);
        else pendingFixes.delete(key);
      }
    },
  };
}

/** The fix turn's prompt: what failed, where, and how the app was started. */
export function fixPrompt(fingerprint: ErrorFingerprint, run: AppRun): string {
  const seen = fingerprint.count === 1 ? 'once' : `${fingerprint.count} times`;
  const lines = [
    `Fix this error from the running app (${SOURCE_WORDS[fingerprint.source]}, seen ${seen}):`,
    '',
    fingerprint.message.trim(),
  ];
  if (fingerprint.stack) {
    const stack = fingerprint.stack.length > STACK_MAX_CHARS ? `${fingerprint.stack.slice(0, STACK_MAX_CHARS)}\n…` : fingerprint.stack;
    lines.push('', 'Stack:', '```', stack.trimEnd(), '```');
  }
  const command = run.plan ? (run.plan.command ?? `MACS serves the static files (${run.plan.source})`) : null;
  if (command) lines.push('', `The app is started with: ${command}`);
  if (fingerprint.files.length > 0) lines.push('', `Files the error names: ${fingerprint.files.join(', ')}`);
  lines.push('', 'Change the code so this error no longer happens; keep the rest of the app working.');
  return lines.join('\n');
}

const SOURCE_WORDS: Record<ErrorFingerprint['source'], string> = {
  server: "the server's output",
  console: 'the page console',
  page: 'an uncaught error in the page',
  request: 'a failed request',
  blocked: 'a blocked request to the internet',
};

/** The run command the project's newest build plan named ('' in a plan means none); null when no plan did. */
export function planRunCommandOf(ctx: Pick<EngineContext, 'projects' | 'steps'>, projectId: string): string | null {
  const builds = ctx.projects.turns(projectId).filter((t) => t.kind === 'build');
  for (const task of builds.reverse()) {
    const output = ctx.steps.latest(task.id, 'plan')?.output as { result?: { plan?: Plan } } | null | undefined;
    const plan = output?.result?.plan;
    if (plan) return plan.run_command?.trim() || null;
  }
  return null;
}
