// Figures in sentences a developer reads at a glance. GiB, like the hardware summary and
// nvidia-smi, so "12 GiB card" matches what the user bought.

const GIB = 1024 ** 3;

/** 10_523_000_000 → "9.8 GiB". */
export function gib(bytes: number): string {
  const v = bytes / GIB;
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} GiB`;
}

/** 8192 → "8k", 131072 → "128k", 40960 → "40k", 3000 → "3000". */
export function ctxLabel(tokens: number): string {
  return tokens >= 1024 && tokens % 1024 === 0 ? `${tokens / 1024}k` : String(tokens);
}
