import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MacsError } from '../../../shared/index.js';

export const PROMPT_NAMES = [
  'build-system',
  'context',
  'plan',
  'implement',
  'fix',
  'review',
  'repair-json',
  'repair-format',
  'continue',
] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

/**
 * Where resources/prompts is: MACS_RESOURCES_DIR, else the first `resources/prompts`
 * found walking up from this module (the source tree under tsx/vitest, dist/ when
 * bundled, the app archive when packaged, where electron-builder copies it beside dist/).
 */
export function findPromptsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MACS_RESOURCES_DIR) return path.join(env.MACS_RESOURCES_DIR, 'prompts');
  // CommonJS bundles (Electron main) have __filename; ESM (the CLI, tsx, vitest) has import.meta.url.
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  for (let dir = path.dirname(here); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources', 'prompts');
    if (fs.existsSync(path.join(candidate, 'build-system.md'))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new MacsError('INTERNAL', 'The prompt templates (resources/prompts) are missing from this installation.');
}

/** Templates are read once per process; `{{name}}` placeholders are filled by render(). */
export class PromptLibrary {
  private readonly cache = new Map<PromptName, string>();

  constructor(private readonly dir: string = findPromptsDir()) {}

  template(name: PromptName): string {
    let text = this.cache.get(name);
    if (text === undefined) {
      text = fs.readFileSync(path.join(this.dir, `${name}.md`), 'utf8').replace(/\r\n/g, '\n').trimEnd();
      this.cache.set(name, text);
    }
    return text;
  }

  /** Fill every placeholder; a missing value or an unused one is a programming error, caught by the tests. */
  render(name: PromptName, values: Record<string, string> = {}): string {
    const used = new Set<string>();
    const out = this.template(name).replace(/\{\{([a-z_]+)\}\}/g, (_m, key: string) => {
      if (!(key in values)) throw new MacsError('INTERNAL', `Prompt "${name}" needs a value for {{${key}}}.`);
      used.add(key);
      return values[key];
    });
    const unused = Object.keys(values).filter((k) => !used.has(k));
    if (unused.length) throw new MacsError('INTERNAL', `Prompt "${name}" has no placeholder for ${unused.join(', ')}.`);
    return out;
  }
}
