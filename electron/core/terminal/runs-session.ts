// A task's "Runs" log: a read-only pseudo-terminal where every command the pipeline runs
// is printed with a header, its live output and a footer, so the user watches it happen.
import { StringDecoder } from 'node:string_decoder';
import type { IsolationLevel, TerminalSession } from '../../../shared/index.js';
import type { FlowControl, OutputPump } from './output-pump.js';
import { displayPath } from './shell.js';
import type { RunEnd, RunSpec, RunWriter } from './types.js';

const RULE = '━━';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';
const LEVEL_COLOR: Record<IsolationLevel, string> = {
  'read-only': '\x1b[36m',
  'workspace-write': '\x1b[32m',
  'workspace-write+net': '\x1b[33m',
  unrestricted: '\x1b[31m',
};

/** Quote an argument only when the shell would need it, so the header reads like what you would type. */
export function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatRunHeader(spec: RunSpec): string {
  const cmd = spec.command.map(quoteArg).join(' ');
  const where = `${DIM}(cwd ${displayPath(spec.cwd)}, isolation ${RESET}${LEVEL_COLOR[spec.level]}${spec.level}${RESET}${DIM})${RESET}`;
  return `${BOLD}${RULE} $ ${cmd}${RESET}  ${where} ${BOLD}${RULE}${RESET}\r\n`;
}

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function formatRunFooter(end: RunEnd): string {
  const parts: string[] = [];
  let color = end.exitCode === 0 ? '\x1b[32m' : '\x1b[31m';
  if (end.timedOut) {
    parts.push(end.timeoutMs !== undefined ? `killed (timeout ${seconds(end.timeoutMs)})` : 'killed (timeout)');
  } else if (end.killed) {
    parts.push(end.signal ? `killed (${end.signal})` : 'killed');
  } else if (end.exitCode === null) {
    parts.push(end.signal ? `killed by ${end.signal}` : 'ended');
  } else {
    parts.push(`exit ${end.exitCode}`);
  }
  if (end.timedOut || end.killed) color = '\x1b[33m';
  parts.push(seconds(end.durationMs));
  if (end.outputTruncated) parts.push('output capped');
  return `${color}${RULE} ${parts.join(' · ')} ${RULE}${RESET}\r\n\r\n`;
}

/** A line feed not preceded by a carriage return: raw pipe output, which a terminal would staircase. */
const BARE_LF = /(?<!\r)\n/g;

export class RunsSession {
  readonly sessionId: string;
  private cwd: string;
  private level: IsolationLevel;
  private running = 0;

  constructor(
    sessionId: string,
    readonly taskId: string,
    first: RunSpec,
    private readonly pump: OutputPump,
  ) {
    this.sessionId = sessionId;
    this.cwd = first.cwd;
    this.level = first.level;
  }

  /** Start showing one command; the returned writer prints its output and footer. */
  attach(spec: RunSpec, flow?: FlowControl): RunWriter {
    this.cwd = spec.cwd;
    this.level = spec.level;
    this.running++;
    const pump = this.pump;
    const decoder = new StringDecoder('utf8');
    const detachFlow = flow ? pump.addFlow(flow) : () => undefined;
    // The cursor may be mid-line after the previous command's output; headers start a line.
    let atLineStart = true;
    let ended = false;
    const put = (text: string) => {
      if (text.length === 0) return;
      const shown = text.replace(BARE_LF, '\r\n');
      pump.push(shown);
      atLineStart = shown.endsWith('\n');
    };
    put(formatRunHeader(spec));
    return {
      sessionId: this.sessionId,
      write: (data) => {
        if (!ended) put(typeof data === 'string' ? data : decoder.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
      },
      end: (result) => {
        if (ended) return;
        ended = true;
        put(decoder.end());
        if (!atLineStart) pump.push('\r\n');
        pump.push(formatRunFooter(result));
        pump.flush();
        detachFlow();
        this.running--;
      },
    };
  }

  describe(): TerminalSession {
    return {
      sessionId: this.sessionId,
      kind: 'runs',
      taskId: this.taskId,
      cwd: this.cwd,
      level: this.level,
      title: 'Runs',
      alive: true,
      exitCode: null,
      cols: 0,
      rows: 0,
    };
  }

  isRunning(): boolean {
    return this.running > 0;
  }

  replay(): { data: string; lastSeq: number } {
    return this.pump.replay();
  }

  close(): void {
    this.pump.close();
  }
}

/**
 * A project's running app (issue 14): the same read-only log as Runs, one per project,
 * where the install and each start of the server print a header, their output and a footer.
 */
export class AppLogSession extends RunsSession {
  constructor(sessionId: string, readonly projectId: string, first: RunSpec, pump: OutputPump) {
    super(sessionId, `app:${projectId}`, first, pump);
  }

  override describe(): TerminalSession {
    return { ...super.describe(), kind: 'app', taskId: null, title: 'App' };
  }
}
