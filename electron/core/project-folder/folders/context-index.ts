import path from 'node:path';
import { RetrievalIndex, selectContext, type ContextSelection } from '../../retrieval/index.js';
import { listWorkspace, isProbablyBinary } from '../tree/index.js';
import { readRegularFile } from '../guard/index.js';
import { filterCandidates } from '../../retrieval/index.js';

/** Files bigger than this are not read as context candidates (generated or data files, mostly). */
const MAX_CANDIDATE_BYTES = 100 * 1024;
/** A repository larger than this is indexed by its first files in tree order only (the rest stays out of context). */
const MAX_CANDIDATES = 20_000;
const READ_PARALLEL = 32;

/**
 * The retrieval index of one workspace folder: its text files (gitignore-aware, default
 * excludes applied), indexed once, then kept current from the watcher's batches, so a
 * context preview while the user types costs a ranking, not a re-read of the project.
 */
export class FolderContextIndex {
  private readonly index = new RetrievalIndex();
  private readonly contents = new Map<string, string>();
  private ready: Promise<void> | null = null;
  candidates = 0;

  constructor(readonly root: string) {}

  private load(): Promise<void> {
    this.ready ??= (async () => {
      const listing = await listWorkspace(this.root, {});
      const files = listing.entries.filter((e) => e.kind === 'file' && e.size <= MAX_CANDIDATE_BYTES).map((e) => e.path);
      const kept = filterCandidates(files).slice(0, MAX_CANDIDATES);
      for (let i = 0; i < kept.length; i += READ_PARALLEL) {
        await Promise.all(kept.slice(i, i + READ_PARALLEL).map((p) => this.refresh(p)));
      }
    })();
    return this.ready;
  }

  private async refresh(rel: string): Promise<void> {
    try {
      // Regular files only: a planted FIFO or device must not block a libuv thread.
      const buf = await readRegularFile(path.join(this.root, rel), { maxBytes: MAX_CANDIDATE_BYTES });
      if (buf.length > MAX_CANDIDATE_BYTES || isProbablyBinary(buf)) return this.drop(rel);
      const content = buf.toString('utf8');
      this.contents.set(rel, content);
      this.index.upsert({ path: rel, content });
      this.candidates = this.contents.size;
    } catch {
      this.drop(rel);
    }
  }

  private drop(rel: string): void {
    if (!this.contents.delete(rel)) return;
    this.index.remove(rel);
    this.candidates = this.contents.size;
  }

  /** A watcher batch: re-read what changed (only once the index exists; before that the first load reads it anyway). */
  async apply(batch: { created: string[]; updated: string[]; deleted: string[] }): Promise<void> {
    if (!this.ready) return;
    await this.ready;
    for (const p of batch.deleted) this.drop(p);
    const changed = filterCandidates([...batch.created, ...batch.updated]);
    await Promise.all(changed.map((p) => this.refresh(p)));
  }

  async select(
    prompt: string,
    budgetTokens: number,
    countTokens: (s: string) => number,
    choice: { pinned?: string[]; excluded?: string[] } = {},
    scope: { include?: string[]; exclude?: string[] } = {},
  ): Promise<ContextSelection> {
    await this.load();
    const scoped = scope.include?.length || scope.exclude?.length ? new Set(filterCandidates([...this.contents.keys()], { ...scope, defaultExcludes: false })) : null;
    const files = [...this.contents].filter(([p]) => !scoped || scoped.has(p)).map(([p, content]) => ({ path: p, content }));
    return selectContext(files, prompt, budgetTokens, countTokens, { index: this.index, pinned: choice.pinned, excluded: choice.excluded, perFileOverheadTokens: 12, maxFiles: 40 });
  }

  content(rel: string): string | undefined {
    return this.contents.get(rel);
  }
}
