// The preview capability's face for the engine, REST, CLI and the build pipeline: what to
// run for a project (detect), what the user kept (configure), and each project's run
// (project-run.ts), published as `app.updated` on every change.
import path from 'node:path';
import { MacsError, type AppRun, type ErrorFingerprint, type RunPlan, type RunSettings } from '../../../shared/index.js';
import { detectRunPlans, missingTool, pythonModulesAvailable, readProjectEntries } from './detect/index.js';
import { ProjectRun } from './project-run.js';
import { RunSettingsStore } from './run-settings-store.js';
import type { PreviewService, PreviewServiceOptions } from './types.js';

const DEFAULT_SETTLE_TIMEOUT_MS = 60_000;

/** The user's own command keeps what detection found about installing and serving. */
function withKeptCommand(settings: RunSettings, detected: RunPlan | null): RunPlan | null {
  if (!settings.command) return detected;
  return { kind: 'custom', command: settings.command, source: 'your command', install: detected?.install ?? null, web: detected?.web ?? true };
}

export function createPreviewService(opts: PreviewServiceOptions): PreviewService {
  const now = opts.now ?? Date.now;
  const store = new RunSettingsStore(opts.db, now);
  const runs = new Map<string, ProjectRun>();

  function runOf(projectId: string): ProjectRun {
    const project = opts.project(projectId);
    let run = runs.get(projectId);
    if (!run) {
      run = new ProjectRun(projectId, project.root, store.settings(projectId), {
        sandbox: opts.sandbox,
        terminal: opts.terminal,
        store,
        appOrigins: opts.appOrigins,
        publish: opts.publish,
        now,
        readyTimeoutMs: opts.readyTimeoutMs,
        packageCacheDir: path.join(opts.dataDir, 'caches'),
        rerun: () => {
          service.run(projectId).catch(() => undefined); // the failure is published on the run
        },
      });
      runs.set(projectId, run);
    }
    return run;
  }

  function detectFor(projectId: string): { candidates: RunPlan[]; chosen: RunPlan | null; settings: RunSettings; root: string } {
    const project = opts.project(projectId);
    const { files, readText } = readProjectEntries(project.root);
    const hasPython = files.some((f) => f.endsWith('.py'));
    const candidates = detectRunPlans(files, readText, {
      planCommand: opts.planRunCommand?.(projectId) ?? null,
      installedDepsHash: store.depsHash(projectId),
      pythonModules: hasPython ? pythonModulesAvailable() : undefined,
    });
    const settings = store.settings(projectId);
    return { candidates, chosen: withKeptCommand(settings, candidates[0] ?? null), settings, root: project.root };
  }

  const service: PreviewService = {
    async detect(projectId) {
      const { candidates, chosen, settings } = detectFor(projectId);
      return { candidates, chosen, settings };
    },

    async configure(projectId, patch) {
      store.configure(projectId, patch);
      const { chosen, settings } = detectFor(projectId);
      return runOf(projectId).setSettings(settings, chosen);
    },

    async run(projectId) {
      const run = runOf(projectId);
      const { chosen, settings, root } = detectFor(projectId);
      if (!chosen) {
        const reason = 'Nothing here says how to start this project: no run command, package.json "dev"/"start" script, server file, Python entry point, Makefile "run" target or index.html. Set a command to run it.';
        await run.refuse(null, 'NOTHING_TO_RUN', reason);
        throw new MacsError('APP_NOT_RUNNABLE', reason, { projectId });
      }
      if (chosen.command && opts.sandbox.backend === 'sandbox-exec') {
        // The macOS profile has no network namespace to give the app and no socket the
        // bridge may listen on: rather than start it and time out on a port, say so.
        const reason = 'Running an app is not supported in the macOS sandbox yet: it has no way to expose the app’s port to the preview. A static site still runs (MACS serves its files); run other apps from the terminal.';
        await run.refuse(chosen, 'NOTHING_TO_RUN', reason);
        throw new MacsError('NOT_SUPPORTED', reason, { projectId, backend: 'sandbox-exec' });
      }
      const tool = missingTool(chosen);
      if (tool) {
        const reason = `\`${chosen.install?.command ?? chosen.command}\` needs ${tool}, which is not installed on this machine (not found on PATH). Install ${tool} and run again.`;
        await run.refuse(chosen, 'TOOLCHAIN_MISSING', reason);
        throw new MacsError('TOOLCHAIN_MISSING', reason, { projectId, tool });
      }
      return run.start(chosen, root, settings);
    },

    async waitSettled(projectId, timeoutMs = DEFAULT_SETTLE_TIMEOUT_MS) {
      return runOf(projectId).waitSettled(timeoutMs);
    },

    async stop(projectId) {
      return runOf(projectId).stop();
    },

    status(projectId) {
      return runOf(projectId).snapshot();
    },

    list(): AppRun[] {
      return [...runs.values()].filter((r) => r.isActive()).map((r) => r.snapshot());
    },

    filesChanged(projectId, paths) {
      runs.get(projectId)?.filesChanged(paths);
    },

    fingerprint(projectId, fingerprintId): ErrorFingerprint | null {
      return runs.get(projectId)?.book.get(fingerprintId) ?? null;
    },

    noteFixAttempt(projectId, fingerprintId) {
      const run = runs.get(projectId);
      const entry = run?.book.noteFixAttempt(fingerprintId);
      if (!entry) throw new MacsError('RUN_ERROR_NOT_FOUND', `There is no error ${fingerprintId} in this project's run: it may have been from an earlier run.`, { projectId, fingerprintId });
      run?.republish();
    },

    async forget(projectId) {
      const run = runs.get(projectId);
      runs.delete(projectId);
      await run?.stop().catch(() => undefined); // a run that cannot stop cleanly is still dropped
    },

    async close() {
      await Promise.all([...runs.values()].map((r) => r.stop().catch(() => undefined)));
      runs.clear();
    },
  };
  return service;
}
