// Pulling any model by name (not only the curated ones): what the name field suggests as the user
// types, and why a typed name cannot be a model name. Ollama names: [host/][namespace/]model[:tag].

/** Sizes most Ollama families publish tags for; offered after "family:" next to what is installed. */
export const COMMON_TAGS = ['latest', '0.5b', '1b', '1.5b', '3b', '7b', '8b', '14b', '32b', '70b'] as const;

const NAME = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*){0,2}(:[a-z0-9][a-z0-9._-]{0,127})?$/i;
const MAX_SUGGESTIONS = 12;

/** Why `text` is not a model name Ollama can pull, in one sentence; null when it can be one. */
export function pullNameProblem(text: string): string | null {
  const name = text.trim();
  if (!name) return 'Type a model name, e.g. qwen2.5-coder:7b.';
  if (/\s/.test(name)) return 'A model name has no spaces, e.g. qwen2.5-coder:7b.';
  if (name.endsWith(':')) return 'Add a tag after the colon, e.g. 7b or latest.';
  if ((name.match(/:/g) ?? []).length > 1) return 'One colon only: model:tag.';
  if (!NAME.test(name)) return 'Letters, digits, "." "-" "_" and "/" only, e.g. qwen2.5-coder:7b or library/llama3.2:3b.';
  return null;
}

function familyOf(name: string): string {
  const i = name.indexOf(':');
  return (i < 0 ? name : name.slice(0, i)).toLowerCase();
}

/**
 * Suggestions for the typed text. Before a colon: the families installed or curated whose name
 * starts with it, each as "family:". After one: that family's tags, installed first, then the
 * curated ones and the common sizes, those starting with what follows the colon.
 */
export function pullSuggestions(typed: string, installed: string[], curated: string[]): string[] {
  const text = typed.trim().toLowerCase();
  const known = [...installed, ...curated];
  const out: string[] = [];
  const add = (s: string) => {
    if (!out.includes(s) && out.length < MAX_SUGGESTIONS) out.push(s);
  };
  const colon = text.indexOf(':');
  if (colon < 0) {
    for (const name of known) {
      const family = familyOf(name);
      if (family.startsWith(text)) add(`${family}:`);
    }
    return out;
  }
  const family = text.slice(0, colon);
  const tagStart = text.slice(colon + 1);
  const tagsOf = (names: string[]) => names.filter((n) => familyOf(n) === family).map((n) => n.slice(n.indexOf(':') + 1 || n.length) || 'latest');
  for (const tag of [...tagsOf(installed), ...tagsOf(curated), ...COMMON_TAGS]) {
    if (tag.toLowerCase().startsWith(tagStart)) add(`${family}:${tag}`);
  }
  return out;
}
