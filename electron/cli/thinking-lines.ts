// How the CLI shows a thinking model's reasoning: not at all on stdout (that is the
// answer, often piped) and not as a wall of draft text on stderr; one line when the
// model starts reasoning, one with how long it took when the answer starts. The text
// itself is kept with the task (`macs show <id> --events`, the app's Thinking block).
export class ThinkingLines {
  private startedAt: number | null = null;
  private done = false;

  constructor(private readonly line: (text: string) => void) {}

  /** A reasoning chunk arrived at `ts` (epoch ms). */
  onThinking(ts: number): void {
    if (this.startedAt !== null || this.done) return;
    this.startedAt = ts;
    this.line('thinking…');
  }

  /** Answer text arrived at `ts`: closes the reasoning line, once. */
  onAnswer(ts: number): void {
    if (this.startedAt === null || this.done) return;
    this.done = true;
    this.line(`thought for ${formatSeconds(ts - this.startedAt)}`);
  }
}

function formatSeconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}
