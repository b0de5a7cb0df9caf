// One filter for `GET /v1/models?fits=…&language=…` and `macs models --fits … --language …`,
// so both return the same selection.
import type { CatalogModel, CuratedModel, FitVerdict } from '../../../shared/index.js';
import { FitVerdictSchema } from '../../../shared/index.js';
import type { ModelCatalog } from './catalog.js';
import { languagesFor, normalizeLanguage } from './curated.js';

export interface CatalogFilter {
  fits?: FitVerdict[];
  language?: string;
}

/** "gpu,partial" → ['gpu', 'partial']; the names that are not verdicts come back in `bad`. */
export function parseFitsList(raw: string): { fits: FitVerdict[]; bad: string[] } {
  const parts = raw.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  const bad = parts.filter((p) => !FitVerdictSchema.safeParse(p).success);
  return { fits: parts.filter((p) => !bad.includes(p)) as FitVerdict[], bad };
}

function keep(f: CatalogFilter, verdict: FitVerdict, languages: () => string[]): boolean {
  if (f.fits && f.fits.length > 0 && !f.fits.includes(verdict)) return false;
  // A model whose languages are unknown is not claimed to be good at any.
  return !f.language || languages().includes(normalizeLanguage(f.language));
}

export function filterCatalog(catalog: ModelCatalog, f: CatalogFilter): { installed: CatalogModel[]; curated: CuratedModel[] } {
  return {
    installed: catalog.installed.filter((m) => keep(f, m.fit.verdict, () => languagesFor(m.name))),
    curated: catalog.curated.filter((c) => keep(f, c.fit.verdict, () => c.languages)),
  };
}
