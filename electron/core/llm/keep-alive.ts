/** Ollama's keep_alive for a number of minutes: a duration string (docs/api.md); a negative number keeps it loaded. */
export function keepAliveValue(minutes: number | undefined): string | number | undefined {
  if (minutes === undefined) return undefined;
  return minutes < 0 ? -1 : `${Math.round(minutes)}m`;
}
