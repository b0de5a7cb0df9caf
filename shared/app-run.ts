// Running what a project built (issue 14): how MACS starts it, the run's live state, the
// errors it produced (deduplicated into fingerprints), and the web agent's smoke scenarios.
// Pure: zod only.
import { z } from 'zod';

/** Where the start command came from, most specific first. */
export const RunKindSchema = z.enum(['plan', 'npm', 'node', 'python', 'asgi', 'wsgi', 'static', 'make', 'custom']);
export type RunKind = z.infer<typeof RunKindSchema>;

/** How to start a project, as worked out from its files (or kept by the user). */
export const RunPlanSchema = z.object({
  kind: RunKindSchema,
  /**
   * The shell command line run in the project root (`sh -c`), shown and editable.
   * null for a static site: MACS serves the folder's files itself.
   */
  command: z.string().max(2000).nullable(),
  /** Why this command, in a few words: `package.json script "dev"`, `index.html at the root`. */
  source: z.string(),
  /** Dependencies installed first (kept between runs); null: nothing to install. */
  install: z
    .object({
      command: z.string(),
      /** `package.json has dependencies and node_modules is missing`, `requirements.txt changed`. */
      reason: z.string(),
      /** The install reaches a package registry (needs the user's "install: registry access"). */
      needsNetwork: z.boolean(),
    })
    .nullable(),
  /** The app is expected to answer HTTP (a preview is shown); false: a command whose output is the result. */
  web: z.boolean(),
});
export type RunPlan = z.infer<typeof RunPlanSchema>;

/** What the user kept for a project's runs (stored per project). */
export const RunSettingsSchema = z.object({
  /** The user's own start command; null: the detected one. */
  command: z.string().trim().min(1).max(2000).nullable(),
  /** A host port the user pinned (1024–65535); null: MACS picks one and keeps it for the project. */
  pinnedPort: z.number().int().min(1024).max(65535).nullable(),
  /** "install: registry access": the install step may reach package registries (off by default). */
  installNetwork: z.boolean(),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

export const RunStateSchema = z.enum([
  /** Never run, or stopped by the user. */
  'idle',
  'installing',
  /** The process runs; its port is being probed over HTTP. */
  'starting',
  /** The port answered HTTP: the preview shows it. */
  'ready',
  /** A non-web command ran to its end (exitCode says how). */
  'exited',
  /** It could not start or stay up: `reason` says why, with the output tail. */
  'failed',
]);
export type RunState = z.infer<typeof RunStateSchema>;

/** Why a run failed, as a stable code beside the sentence. */
export const RunFailureSchema = z.enum([
  'NOTHING_TO_RUN',
  'TOOLCHAIN_MISSING',
  'INSTALL_FAILED',
  'INSTALL_NEEDS_NETWORK',
  'NO_PORT',
  'CRASHED',
  'CRASH_LOOP',
  'BLANK_PAGE',
]);
export type RunFailure = z.infer<typeof RunFailureSchema>;

/** One error, however often it happened: the same message and top frame count as one. */
export const ErrorFingerprintSchema = z.object({
  /** Stable for the same error (hash of source, normalised message and top frame). */
  id: z.string(),
  /** server: the app's own output; console/page: the page's console.error and uncaught errors; request: a failed request; blocked: a request to the internet that was stopped. */
  source: z.enum(['server', 'console', 'page', 'request', 'blocked']),
  message: z.string(),
  stack: z.string().nullable(),
  /** Project files the error names (relative paths that exist), for "Fix this error". */
  files: z.array(z.string()),
  count: z.number().int(),
  firstAt: z.number(),
  lastAt: z.number(),
  /** "Fix this error" turns sent for it; capped (then: restore the last working version). */
  fixAttempts: z.number().int(),
});
export type ErrorFingerprint = z.infer<typeof ErrorFingerprintSchema>;

export const AppRunSchema = z.object({
  projectId: z.string(),
  state: RunStateSchema,
  /** The plan this run uses (the kept command applied); null: nothing runnable found. */
  plan: RunPlanSchema.nullable(),
  settings: RunSettingsSchema,
  /** The host port the preview is served on (127.0.0.1 only); null while not running. */
  port: z.number().int().nullable(),
  /** The pinned port was taken by something else, so `port` is another one. */
  pinnedPortTaken: z.boolean(),
  /** http://127.0.0.1:<port>/ once ready (web apps). */
  url: z.string().nullable(),
  startedAt: z.number().nullable(),
  readyAt: z.number().nullable(),
  /** Restarts after a crash in this run (stopped after 3). */
  restarts: z.number().int(),
  exitCode: z.number().int().nullable(),
  /** One sentence when failed (or a warning while ready: console errors on a blank page). */
  reason: z.string().nullable(),
  failure: RunFailureSchema.nullable(),
  /** The last 50 lines of the install and server output. */
  outputTail: z.string(),
  fingerprints: z.array(ErrorFingerprintSchema),
  /** Goes up when the page should reload (files changed, server restarted). */
  reloadSeq: z.number().int(),
  /** The terminal session (kind 'app') that carries the full output. */
  sessionId: z.string().nullable(),
});
export type AppRun = z.infer<typeof AppRunSchema>;

/**
 * A smoke scenario the plan lists for a web project: plain steps the web agent understands:
 * `open /path`, `type <text> into <field>`, `click <button or link>`, `press <key>`,
 * `expect the text <text> [in <place>]`, `expect no text <text>`, `expect the title <text>`.
 */
export const SmokeScenarioSchema = z.object({
  name: z.string().trim().min(1).max(200),
  steps: z.array(z.string().trim().min(1).max(500)).min(1).max(20),
});
export type SmokeScenario = z.infer<typeof SmokeScenarioSchema>;

export const ScenarioStepResultSchema = z.object({
  step: z.string(),
  ok: z.boolean(),
  /** What went wrong, in a sentence ("no button or link named Add"). */
  error: z.string().nullable(),
  /** Relative to the project root: .macs/screenshots/<scenario>-<n>.png. */
  screenshot: z.string().nullable(),
  durationMs: z.number(),
});
export const ScenarioResultSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  steps: z.array(ScenarioStepResultSchema),
  consoleErrors: z.array(z.string()),
  failedRequests: z.array(z.string()),
  /** The page's text near the failure, trimmed. */
  domExcerpt: z.string().nullable(),
  durationMs: z.number(),
});
export type ScenarioResult = z.infer<typeof ScenarioResultSchema>;
