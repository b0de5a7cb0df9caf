// One project's app, run after run: the state machine idle → installing → starting →
// ready | failed | exited, the attempt that is live now (proxy, run folder, process),
// crash restarts, restarts after file changes, and the AppRun it publishes.
import type { AppRun, RunFailure, RunPlan, RunSettings } from '../../../shared/index.js';
import type { Sandbox } from '../sandbox/index.js';
import type { RunWriter, TerminalManager } from '../terminal/index.js';
import { depsHashOf, readProjectEntries } from './detect/index.js';
import { FingerprintBook } from './fingerprints.js';
import { startAppProcess, type AppProcess } from './process/app-process.js';
import { runInstall } from './process/install.js';
import type { RunDir } from './process/run-dir.js';
import { isBlankPageReport } from './proxy/index.js';
import { openAttempt, releaseAttempt, stopServer, type Attempt, type Server } from './run-attempt.js';
import { RunOutput } from './run-output.js';
import { crashedReason, httpAnswers, noPortReason, READY_TIMEOUT_MS, waitReady } from './readiness.js';
import type { RunSettingsStore } from './run-settings-store.js';
import type { PreviewProxy, RunErrorReport } from './types.js';

/** Restarts after a crash before the run is stopped as a crash loop. */
export const MAX_RESTARTS = 3;
/** Output-tail updates are published at most this often (state changes go out at once). */
const PUBLISH_EVERY_MS = 250;
const FILES_CHANGED_DEBOUNCE_MS = 150;
const SETTLED: readonly AppRun['state'][] = ['idle', 'ready', 'failed', 'exited'];
const DEPENDENCY_FILES = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'requirements.txt']);

export interface ProjectRunDeps {
  sandbox: Sandbox;
  terminal: TerminalManager;
  store: RunSettingsStore;
  appOrigins: () => readonly string[];
  publish: (run: AppRun) => void;
  now: () => number;
  readyTimeoutMs?: number;
  /** MACS's own package caches for installs (<data dir>/caches), never the user's. */
  packageCacheDir: string;
  /** A dependency file changed under a running app: run again from the start (install included). */
  rerun: () => void;
}

export class ProjectRun {
  readonly book: FingerprintBook;
  private run: AppRun;
  private attempt: Attempt | null = null;
  private readonly out: RunOutput;
  private publishTimer: NodeJS.Timeout | null = null;
  private lastPublished = 0;
  private changeTimer: NodeJS.Timeout | null = null;
  private settledWaiters: (() => void)[] = [];
  /** start and stop run one after another: a second Run while the first sets up must not leak its proxy. */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(readonly projectId: string, root: string, settings: RunSettings, private readonly deps: ProjectRunDeps) {
    this.book = new FingerprintBook(root);
    this.out = new RunOutput(this.book, deps.now, () => this.schedulePublish());
    this.run = { projectId, state: 'idle', plan: null, settings, port: null, pinnedPortTaken: false, url: null, startedAt: null, readyAt: null, restarts: 0, exitCode: null, reason: null, failure: null, outputTail: '', fingerprints: [], reloadSeq: 0, sessionId: null };
  }

  snapshot(): AppRun {
    return { ...this.run, outputTail: this.out.text(), fingerprints: this.book.list(), settings: { ...this.run.settings }, plan: this.run.plan ? { ...this.run.plan } : null };
  }

  isActive(): boolean {
    return this.run.state === 'installing' || this.run.state === 'starting' || this.run.state === 'ready';
  }

  setSettings(settings: RunSettings, plan?: RunPlan | null): AppRun {
    this.run.settings = settings;
    if (plan !== undefined && !this.isActive()) this.run.plan = plan;
    return this.publishNow();
  }

  /** Stop what runs, then start `plan`; resolves once the first step (install or start) began. */
  start(plan: RunPlan, root: string, settings: RunSettings): Promise<AppRun> {
    return this.inTurn(() => this.startNow(plan, root, settings));
  }

  stop(): Promise<AppRun> {
    return this.inTurn(() => this.stopNow());
  }

  /** Publish the current state (a fix attempt was counted). */
  republish(): AppRun {
    return this.publishNow();
  }

  private inTurn<T>(step: () => Promise<T>): Promise<T> {
    const next = this.serial.then(step, step);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async startNow(plan: RunPlan, root: string, settings: RunSettings): Promise<AppRun> {
    await this.teardown();
    this.out.clear();
    Object.assign(this.run, { state: 'starting', plan, settings, port: null, pinnedPortTaken: false, url: null, startedAt: this.deps.now(), readyAt: null, restarts: 0, exitCode: null, reason: null, failure: null });
    let attempt: Attempt | null = null;
    try {
      attempt = await openAttempt({
        plan,
        root,
        preferredPort: this.deps.store.preferredPort(this.projectId),
        appOrigins: this.deps.appOrigins,
        onReport: (report) => {
          if (attempt && this.attempt === attempt) this.noteReport(report);
        },
      });
    } catch (error) {
      Object.assign(this.run, { state: 'failed', failure: 'NO_PORT', reason: `The preview could not be set up: ${(error as Error).message}` });
      this.settle();
      this.publishNow();
      throw error;
    }
    this.attempt = attempt;
    if (attempt.proxy) {
      this.deps.store.rememberPort(this.projectId, attempt.proxy.port);
      this.run.port = attempt.proxy.port;
      this.run.pinnedPortTaken = settings.pinnedPort !== null && attempt.proxy.preferredPortTaken;
    }
    if (plan.install) this.run.state = 'installing';
    this.publishNow();
    void this.pipeline(attempt);
    return this.snapshot();
  }

  private async stopNow(): Promise<AppRun> {
    await this.teardown();
    Object.assign(this.run, { state: 'idle', port: null, url: null, reason: null, failure: null });
    this.settle();
    return this.publishNow();
  }

  /** Record (and publish) the failure of a run that never started: nothing to run, a missing tool. */
  refuse(plan: RunPlan | null, failure: RunFailure, reason: string): Promise<AppRun> {
    return this.inTurn(async () => {
      await this.teardown();
      Object.assign(this.run, { state: 'failed', plan, failure, reason, port: null, url: null, startedAt: null, readyAt: null });
      this.settle();
      return this.publishNow();
    });
  }

  /** Resolves once the run is settled (ready, failed, exited, idle) or the timeout passed. */
  waitSettled(timeoutMs: number): Promise<AppRun> {
    if (SETTLED.includes(this.run.state)) return Promise.resolve(this.snapshot());
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(this.snapshot());
      };
      const timer = setTimeout(() => {
        this.settledWaiters = this.settledWaiters.filter((w) => w !== done);
        // Still probing after the caller's patience: the port never opened.
        const attempt = this.attempt;
        if (this.run.state === 'starting' && attempt?.plan.command) this.failNoPort(attempt, timeoutMs);
        resolve(this.snapshot());
      }, timeoutMs);
      this.settledWaiters.push(done);
    });
  }

  filesChanged(paths: readonly string[]): void {
    const attempt = this.attempt;
    if (!attempt || !this.isActive()) return;
    const relevant = paths.filter((p) => !/^(node_modules|\.venv|\.git|\.macs)(\/|$)/.test(p));
    if (!relevant.length) return;
    if (attempt.plan.kind === 'static') {
      this.run.reloadSeq += 1;
      this.publishNow();
      return;
    }
    const dependencies = relevant.some((p) => DEPENDENCY_FILES.has(p));
    if (this.changeTimer) clearTimeout(this.changeTimer);
    // A turn writes several files in a burst: one restart for all of them.
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      if (this.attempt !== attempt) return;
      if (dependencies) this.deps.rerun();
      else void this.restartServer(attempt);
    }, FILES_CHANGED_DEBOUNCE_MS);
  }

  noteReport(report: RunErrorReport): void {
    this.book.add(report);
    if (isBlankPageReport(report) && this.run.state === 'ready') {
      const consoleErrors = this.book.list().filter((f) => f.source === 'console' || f.source === 'page').length - 1;
      this.run.reason = consoleErrors > 0 ? `${report.message} The page logged ${consoleErrors} error${consoleErrors === 1 ? '' : 's'}: see Errors.` : report.message;
      this.run.failure = 'BLANK_PAGE';
      this.publishNow();
      return;
    }
    this.schedulePublish();
  }

  private async teardown(): Promise<void> {
    const attempt = this.attempt;
    if (!attempt) return;
    this.attempt = null;
    attempt.abort.abort();
    if (this.changeTimer) clearTimeout(this.changeTimer);
    await Promise.all([stopServer(attempt.server), stopServer(attempt.incoming)]);
    await releaseAttempt(attempt);
  }

  private async pipeline(attempt: Attempt): Promise<void> {
    const { plan } = attempt;
    if (plan.install && !(await this.install(attempt, plan.install.command))) return;
    if (this.attempt !== attempt) return;
    if (plan.command === null) {
      this.setState('starting');
      const proxy = attempt.proxy as PreviewProxy;
      return this.probe(attempt, () => httpAnswers({ url: proxy.url }), () => false);
    }
    this.spawn(attempt, plan.command);
  }

  private async install(attempt: Attempt, command: string): Promise<boolean> {
    let writer: RunWriter | null = null;
    const started = this.deps.now();
    const result = await runInstall({
      sandbox: this.deps.sandbox,
      root: attempt.root,
      command,
      allowNetwork: this.run.settings.installNetwork,
      cacheDir: this.deps.packageCacheDir,
      signal: attempt.abort.signal,
      onStart: (line, level) => {
        writer = this.deps.terminal.attachApp(this.projectId, { command: line.split(/\s+/), cwd: attempt.root, level });
        this.run.sessionId = writer.sessionId;
        this.publishNow();
      },
      onOutput: (chunk) => this.output(chunk, writer),
    });
    (writer as RunWriter | null)?.end({ exitCode: result.ok ? 0 : result.exitCode, durationMs: this.deps.now() - started });
    if (this.attempt !== attempt) return false;
    if (!result.ok) {
      this.fail(attempt, result.failure, result.reason);
      return false;
    }
    const entries = readProjectEntries(attempt.root);
    this.deps.store.rememberInstall(this.projectId, depsHashOf(entries.files, entries.readText));
    return true;
  }

  /** Start the server in the sandbox with its own bridge socket; the caller decides when the preview talks to it. */
  private launch(attempt: Attempt, command: string): Server {
    const runDir = attempt.runDir as RunDir;
    const writer = this.deps.terminal.attachApp(this.projectId, { command: command.split(/\s+/), cwd: attempt.root, level: 'workspace-write' });
    this.run.sessionId = writer.sessionId;
    const started = this.deps.now();
    const server: Server = { proc: null as unknown as AppProcess, socketPath: runDir.bridgeSocketFor(attempt.starts++), stopping: false, exit: null };
    server.proc = startAppProcess(
      {
        projectId: this.projectId,
        root: attempt.root,
        command,
        socketPath: server.socketPath,
        level: 'workspace-write',
        onOutput: (chunk) => this.output(chunk, writer),
        onExit: (code, signal) => {
          server.exit = { code, signal };
          writer.end({ exitCode: code, signal, durationMs: this.deps.now() - started, killed: server.stopping });
          this.out.scan();
          if (!server.stopping && this.attempt === attempt && attempt.server === server) this.exited(attempt, code, signal);
        },
      },
      { sandbox: this.deps.sandbox, bridgeScript: runDir.bridgeScript },
    );
    return server;
  }

  /** Start the server the preview talks to from now on, and probe it. */
  private spawn(attempt: Attempt, command: string): void {
    const server = this.launch(attempt, command);
    attempt.server = server;
    attempt.relay?.setTarget(server.socketPath);
    this.setState('starting');
    const relay = attempt.relay;
    if (attempt.plan.web && relay) void this.probe(attempt, () => httpAnswers({ connect: () => relay.connect(server.socketPath) }), () => !server.proc.isRunning());
  }

  private async probe(attempt: Attempt, probe: () => Promise<boolean>, hasExited: () => boolean): Promise<void> {
    const server = attempt.server;
    const timeoutMs = this.deps.readyTimeoutMs ?? READY_TIMEOUT_MS;
    const result = await waitReady({ probe, hasExited, timeoutMs, signal: attempt.abort.signal });
    if (this.attempt !== attempt || attempt.server !== server) return;
    if (result === 'ready') {
      // A page already shown (before a restart) reloads itself.
      if (this.run.readyAt !== null || this.run.restarts > 0) this.run.reloadSeq += 1;
      Object.assign(this.run, { state: 'ready', readyAt: this.deps.now(), url: attempt.proxy?.url ?? null, reason: null, failure: null });
      this.settle();
      this.publishNow();
    } else if (result === 'timeout') {
      this.failNoPort(attempt, timeoutMs);
    }
    // exited: the process's exit handler decides (crash, restart); aborted: stopped.
  }

  private exited(attempt: Attempt, code: number | null, signal: string | null): void {
    const { plan } = attempt;
    const command = plan.command ?? '';
    if (!plan.web) {
      Object.assign(this.run, { state: 'exited', exitCode: code, reason: code === 0 ? null : crashedReason(command, code, signal).replace(' before it answered HTTP', '') });
      void releaseAttempt(attempt);
      this.settle();
      this.publishNow();
      return;
    }
    // Never up at all: restarting would fail the same way.
    if (this.run.state !== 'ready' && this.run.restarts === 0) return this.fail(attempt, 'CRASHED', crashedReason(command, code, signal));
    if (this.run.restarts >= MAX_RESTARTS) {
      return this.fail(attempt, 'CRASH_LOOP', `\`${command}\` kept crashing: it was restarted ${MAX_RESTARTS} times and crashed again (last exit: ${code ?? signal}), so it was stopped. The last lines of its output are below.`);
    }
    this.run.restarts += 1;
    this.spawn(attempt, command);
  }

  /**
   * A file changed. A web server's replacement starts beside it (its own sandbox, so its
   * own port namespace) and the preview switches over once it answers: the page never
   * meets a stopped server, and the wait is the new server's start-up alone.
   */
  private async restartServer(attempt: Attempt): Promise<void> {
    const command = attempt.plan.command;
    const relay = attempt.relay;
    if (!attempt.server || !command) return;
    if (!attempt.plan.web || !relay) {
      await stopServer(attempt.server);
      if (this.attempt === attempt) this.spawn(attempt, command);
      return;
    }
    void stopServer(attempt.incoming); // a replacement still starting is superseded by this one
    const next = this.launch(attempt, command);
    attempt.incoming = next;
    const timeoutMs = this.deps.readyTimeoutMs ?? READY_TIMEOUT_MS;
    const result = await waitReady({ probe: () => httpAnswers({ connect: () => relay.connect(next.socketPath) }), hasExited: () => !next.proc.isRunning(), timeoutMs, signal: attempt.abort.signal });
    if (this.attempt !== attempt || attempt.incoming !== next) return;
    attempt.incoming = null;
    const old = attempt.server;
    attempt.server = next;
    // Switch first, then stop the old one: nothing is sent to it after this point.
    if (result === 'ready') relay.setTarget(next.socketPath);
    void stopServer(old);
    if (result === 'ready') {
      this.run.reloadSeq += 1;
      Object.assign(this.run, { state: 'ready', readyAt: this.deps.now(), url: attempt.proxy?.url ?? null, reason: null, failure: null });
      this.settle();
      this.publishNow();
    } else if (result === 'timeout') {
      this.failNoPort(attempt, timeoutMs);
    } else if (result === 'exited') {
      this.fail(attempt, 'CRASHED', crashedReason(command, next.exit?.code ?? null, next.exit?.signal ?? null));
    }
  }

  private failNoPort(attempt: Attempt, timeoutMs: number): void {
    this.fail(attempt, 'NO_PORT', noPortReason(timeoutMs, attempt.plan.command ?? 'the static server'));
  }

  /** The run failed: say why, stop what is left of it (its exit is then not a crash). */
  private fail(attempt: Attempt, failure: RunFailure, reason: string): void {
    if (this.attempt === attempt) this.attempt = null;
    attempt.abort.abort();
    Object.assign(this.run, { state: 'failed', failure, reason, port: null, url: null });
    this.settle();
    this.publishNow();
    void Promise.all([stopServer(attempt.server), stopServer(attempt.incoming)]).then(() => releaseAttempt(attempt));
  }

  private output(chunk: string, writer: RunWriter | null): void {
    writer?.write(chunk);
    this.out.push(chunk);
  }

  private setState(state: AppRun['state']): void {
    this.run.state = state;
    this.publishNow();
  }

  private settle(): void {
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const w of waiters) w();
  }

  private publishNow(): AppRun {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    this.lastPublished = Date.now();
    const run = this.snapshot();
    this.deps.publish(run);
    return run;
  }

  private schedulePublish(): void {
    if (this.publishTimer) return;
    const wait = Math.max(0, PUBLISH_EVERY_MS - (Date.now() - this.lastPublished));
    this.publishTimer = setTimeout(() => this.publishNow(), wait);
    this.publishTimer.unref();
  }
}
