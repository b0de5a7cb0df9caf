// The last lines of a run's output (install and server), for AppRun.outputTail and the
// "why it failed" sentence. Terminal control sequences are dropped: the tail is read as text.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const MAX_LINE = 2000;

export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 50) {}

  push(chunk: string): void {
    const text = (this.partial + chunk.replace(ANSI, '')).replace(/\r\n/g, '\n');
    const parts = text.split('\n');
    this.partial = (parts.pop() ?? '').slice(-MAX_LINE);
    // A carriage return without a newline redraws the line (progress bars): keep the last draw.
    for (const line of parts) this.lines.push(line.slice(line.lastIndexOf('\r') + 1).slice(0, MAX_LINE));
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  text(): string {
    const partial = this.partial.slice(this.partial.lastIndexOf('\r') + 1);
    const all = partial ? [...this.lines, partial] : this.lines;
    return all.slice(-this.maxLines).join('\n');
  }

  clear(): void {
    this.lines.length = 0;
    this.partial = '';
  }
}
