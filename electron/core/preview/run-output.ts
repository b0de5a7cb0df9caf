// A run's output as MACS reads it: the last 50 lines (AppRun.outputTail) and the errors in
// it (fingerprints), including calls out of the sandbox that were blocked.
import { errorsFromServerOutput, type FingerprintBook } from './fingerprints.js';
import { OutputTail } from './process/output-tail.js';

/** Server output is read for errors once it paused this long (a traceback arrives in pieces). */
const ERROR_SCAN_DELAY_MS = 300;
const MAX_PENDING_LINES = 500;
/** What a call out of the sandbox's network namespace prints (there is no route and no DNS): logged as 'blocked'. */
const NETWORK_BLOCKED = /network is unreachable|\bENETUNREACH\b|temporary failure in name resolution|\bEAI_AGAIN\b|getaddrinfo ENOTFOUND|could not resolve host/i;

export class RunOutput {
  private readonly tail = new OutputTail(50);
  private pendingLines: string[] = [];
  private partialLine = '';
  private scanTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly book: FingerprintBook,
    private readonly now: () => number,
    /** New output or a new error: the run's view changed. */
    private readonly onChange: () => void,
  ) {}

  push(chunk: string): void {
    this.tail.push(chunk);
    const lines = (this.partialLine + chunk).split(/\r?\n/);
    this.partialLine = (lines.pop() ?? '').slice(-4000);
    this.pendingLines.push(...lines);
    if (this.pendingLines.length > MAX_PENDING_LINES) this.pendingLines.splice(0, this.pendingLines.length - MAX_PENDING_LINES);
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.scanTimer = setTimeout(() => this.scan(), ERROR_SCAN_DELAY_MS);
    this.scanTimer.unref();
    this.onChange();
  }

  /** Read what arrived for errors now (the process ended). */
  scan(): void {
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.scanTimer = null;
    const lines = this.partialLine ? [...this.pendingLines, this.partialLine] : this.pendingLines;
    this.pendingLines = [];
    this.partialLine = '';
    if (!lines.length) return;
    const at = this.now();
    for (const report of errorsFromServerOutput(lines, at)) this.book.add(report);
    for (const line of lines) {
      if (line.length < 2000 && NETWORK_BLOCKED.test(line)) {
        this.book.add({ source: 'blocked', message: `The sandbox blocked a connection out of the app (it may reach nothing but itself): ${line.trim()}`, stack: null, where: null, at });
      }
    }
    this.onChange();
  }

  text(): string {
    return this.tail.text();
  }

  clear(): void {
    this.tail.clear();
    this.pendingLines = [];
    this.partialLine = '';
  }
}
