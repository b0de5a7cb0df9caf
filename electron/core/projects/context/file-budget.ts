import { renderFile } from '../../files/index.js';

/** Blank lines between two files in the prompt. */
const SEPARATOR_TOKENS = 1;

export interface SentFile {
  path: string;
  content: string;
  tokens: number;
  /** Why it was sent: pinned, edited by hand, changed by turn 3, retrieval's reason, all files fit. */
  reason: string;
}

/**
 * The files of a turn within a real budget, offered in priority order (pinned, then files
 * touched recently, then what retrieval picks): a file is taken when it fits in what is left,
 * noted as left out when it does not; a later, smaller file may still fit.
 */
export class FileBudget {
  readonly sent: SentFile[] = [];
  readonly leftOut: Array<{ path: string; tokens: number; reason: string }> = [];
  private readonly seen = new Set<string>();
  private used = 0;

  constructor(
    readonly budget: number,
    private readonly count: (text: string) => number,
  ) {}

  get remaining(): number {
    return Math.max(0, this.budget - this.used);
  }

  get tokens(): number {
    return this.used;
  }

  has(path: string): boolean {
    return this.seen.has(path);
  }

  /** Tokens the file costs as shown ("File: path" and its fence included). */
  cost(path: string, content: string): number {
    return this.count(renderFile({ path, content })) + SEPARATOR_TOKENS;
  }

  /** A file passed over unread: it cannot fit in what is left (`tokens` is an estimate from its size). */
  skip(path: string, tokens: number, reason: string): void {
    if (this.seen.has(path)) return;
    this.seen.add(path);
    this.leftOut.push({ path, tokens, reason });
  }

  /** Offer a file once (later offers of the same path are ignored); true when it was taken. */
  offer(path: string, content: string, reason: string): boolean {
    if (this.seen.has(path)) return false;
    this.seen.add(path);
    const tokens = this.cost(path, content);
    if (tokens > this.remaining) {
      this.leftOut.push({ path, tokens, reason });
      return false;
    }
    this.used += tokens;
    this.sent.push({ path, content, tokens, reason });
    return true;
  }
}
