// The curated list in resources/models/curated.json: coding (and a few general) models with
// real sizes and architecture numbers, so their fit is known before they are pulled.
// Imported, not read from disk, so esbuild bundles it into the CLI and Electron main.
import { z } from 'zod';
import curatedJson from '../../../resources/models/curated.json' with { type: 'json' };
import { parseArchitecture, type ModelArchitecture } from './architecture.js';
import { baseName, normalizeModelName } from './model-names.js';

const CuratedEntrySchema = z.object({
  name: z.string().min(1),
  family: z.string(),
  parameterSize: z.string(),
  quantizationLevel: z.string(),
  sizeBytes: z.number().int().positive(),
  sizeApproximate: z.boolean().optional(),
  contextLength: z.number().int().positive(),
  languages: z.array(z.string()),
  coding: z.boolean(),
  description: z.string(),
  /** The /api/show model_info keys the estimate reads. */
  modelInfo: z.record(z.string(), z.unknown()),
});

const CuratedFileSchema = z.object({ version: z.literal(1), models: z.array(CuratedEntrySchema).min(1) });

export interface CuratedEntry extends z.infer<typeof CuratedEntrySchema> {
  arch: ModelArchitecture;
  parameterCount: number | null;
}

/** Validate a curated file; throws with the zod issues when it is malformed (a build-time mistake). */
export function parseCuratedList(raw: unknown): CuratedEntry[] {
  const file = CuratedFileSchema.parse(raw);
  return file.models.map((m) => {
    const parsed = parseArchitecture({ model_info: m.modelInfo, details: { quantization_level: m.quantizationLevel, parameter_size: m.parameterSize } });
    if (!parsed) throw new Error(`curated.json: ${m.name} lacks architecture numbers`);
    return { ...m, arch: parsed.arch, parameterCount: parsed.parameterCount };
  });
}

let cached: CuratedEntry[] | null = null;

export function loadCuratedModels(): CuratedEntry[] {
  cached ??= parseCuratedList(curatedJson);
  return cached;
}

/** The curated entry for an installed name: exact tag first, else the same model under another tag. */
export function findCurated(name: string, list: CuratedEntry[] = loadCuratedModels()): { entry: CuratedEntry; exact: boolean } | null {
  const n = normalizeModelName(name);
  const exact = list.find((m) => normalizeModelName(m.name) === n);
  if (exact) return { entry: exact, exact: true };
  const base = baseName(n);
  const sibling = list.find((m) => baseName(normalizeModelName(m.name)) === base);
  return sibling ? { entry: sibling, exact: false } : null;
}

const LANGUAGE_ALIASES: Record<string, string> = {
  'c++': 'cpp',
  cxx: 'cpp',
  'c#': 'csharp',
  cs: 'csharp',
  js: 'javascript',
  node: 'javascript',
  ts: 'typescript',
  py: 'python',
  python3: 'python',
  bash: 'shell',
  sh: 'shell',
  zsh: 'shell',
  golang: 'go',
  rs: 'rust',
  kt: 'kotlin',
  rb: 'ruby',
};

/** "C++" → "cpp", "TS" → "typescript": the spellings the curated list uses. */
export function normalizeLanguage(language: string): string {
  const l = language.trim().toLowerCase();
  return LANGUAGE_ALIASES[l] ?? l;
}

/** Languages a model is known to be good at (from the curated list, by name or same model under another tag); [] when unknown. */
export function languagesFor(name: string, list: CuratedEntry[] = loadCuratedModels()): string[] {
  return findCurated(name, list)?.entry.languages ?? [];
}
