// Ollama model names: "qwen2.5-coder" and "qwen2.5-coder:latest" are the same model, and
// "registry.ollama.ai/library/" is implied. Matching ignores case, as Ollama does.

const DEFAULT_PREFIXES = ['registry.ollama.ai/library/', 'library/'];

export function normalizeModelName(name: string): string {
  let n = name.trim().toLowerCase();
  for (const p of DEFAULT_PREFIXES) if (n.startsWith(p)) n = n.slice(p.length);
  const last = n.slice(n.lastIndexOf('/') + 1);
  return last.includes(':') ? n : `${n}:latest`;
}

/** "qwen2.5-coder:7b" → "qwen2.5-coder". */
export function baseName(name: string): string {
  const n = normalizeModelName(name);
  return n.slice(0, n.lastIndexOf(':'));
}

/** Dedicated code models by name (coder, codellama, starcoder2, codestral, devstral …), for names the curated list lacks. */
export function looksLikeCodingModel(name: string): boolean {
  return /code|devstral/i.test(baseName(name));
}
