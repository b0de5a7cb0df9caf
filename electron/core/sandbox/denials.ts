// Spotting the sandbox saying no. bwrap has no violation log (the kernel just returns
// EROFS/EPERM/ENETUNREACH), so the only trace is what the command prints: the usual
// error texts of those errno values. A heuristic, bounded and deduplicated; it turns
// "npm test failed" into "npm test failed because the sandbox refused X" in the UI.
const PATTERNS: Array<{ re: RegExp; net?: boolean }> = [
  { re: /read-only file system|\bEROFS\b/i },
  { re: /operation not permitted|\bEPERM\b/i },
  { re: /permission denied|\bEACCES\b/i },
  { re: /network is unreachable|\bENETUNREACH\b|could not resolve host|temporary failure in name resolution|\bEAI_AGAIN\b|getaddrinfo ENOTFOUND|couldn't connect to server/i, net: true },
  { re: /connection refused|\bECONNREFUSED\b/i, net: true },
];

const MAX_DENIALS = 10;
const MAX_LINE = 300;

export class DenialScanner {
  private readonly seen = new Set<string>();
  private readonly networkBlocked: boolean;
  private readonly report: (line: string) => void;
  private carry = '';

  constructor(networkBlocked: boolean, report: (line: string) => void) {
    this.networkBlocked = networkBlocked;
    this.report = report;
  }

  /** Feed decoded output; lines are matched once complete. */
  scan(text: string): void {
    if (this.seen.size >= MAX_DENIALS) return;
    const lines = (this.carry + text).split(/\r?\n/);
    this.carry = (lines.pop() ?? '').slice(-4096);
    for (const line of lines) this.check(line);
  }

  flush(): void {
    if (this.carry) this.check(this.carry);
    this.carry = '';
  }

  private check(raw: string): void {
    if (this.seen.size >= MAX_DENIALS || raw.length > 4096) return;
    const hit = PATTERNS.find((p) => p.re.test(raw) && (!p.net || this.networkBlocked));
    if (!hit) return;
    const line = raw.trim().slice(0, MAX_LINE);
    if (!line || this.seen.has(line)) return;
    this.seen.add(line);
    this.report(line);
  }
}
