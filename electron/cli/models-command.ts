// `macs models [--json] [--fits gpu,partial] [--language python]`: which models fit this
// machine, headless (no server needed). The verdicts are the engine's models.catalog, the
// same as the Models screen and GET /v1/models.
import type { FitVerdict, ModelSpeed } from '../../shared/index.js';
import { SMALL_PROJECT } from '../../shared/index.js';
import { toErrorPayload } from '../../shared/index.js';
import { createEngine } from '../core/engine/index.js';
import { ctxLabel, filterCatalog, gib, parseFitsList, type ModelCatalog } from '../core/models/index.js';
import type { CliContext } from './context.js';
import { table, truncate } from './format.js';

export interface ModelsOptions {
  json?: boolean;
  /** "gpu" or "gpu,partial". */
  fits?: string;
  language?: string;
}

export interface ModelsCommandDeps {
  /** Seam for tests; by default an engine (runsQueue: false) answers models.catalog. */
  loadCatalog?: (ctx: CliContext) => Promise<ModelCatalog>;
}

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const MARK: Record<FitVerdict, string> = { gpu: '✓ gpu', partial: '◐ partial', cpu: '○ cpu', too_big: '✗ too big', unknown: '? unknown' };

/** "≈ 12 tok/s, 6 min" / "12 tok/s (measured), 6 min": generation speed and a small project's time. */
export function speedCell(speed: ModelSpeed | null | undefined): string {
  if (!speed) return '—';
  const tps = speed.tokensPerSecond >= 10 ? Math.round(speed.tokensPerSecond).toString() : speed.tokensPerSecond.toFixed(1);
  const min = speed.smallProjectSeconds / 60;
  const time = min < 1 ? '< 1 min' : min < 90 ? `${Math.round(min)} min` : `${(min / 60).toFixed(1)} h`;
  return `${speed.source === 'measured' ? `${tps} tok/s (measured)` : `≈ ${tps} tok/s${speed.rough ? ' (rough)' : ''}`}, ${time}`;
}

async function engineCatalog(ctx: CliContext): Promise<ModelCatalog> {
  const engine = createEngine({ dataDir: ctx.dataDir, host: 'cli', version: ctx.version, ollamaHost: ctx.env.OLLAMA_HOST, runsQueue: false });
  try {
    return (await engine.invoke('models.catalog', {})) as ModelCatalog;
  } finally {
    await engine.close();
  }
}

function render(ctx: CliContext, catalog: ModelCatalog, view: ReturnType<typeof filterCatalog>): void {
  ctx.stdout(`Hardware  ${catalog.hardware.summary}`);
  ctx.stdout(`Context   ${ctxLabel(catalog.numCtx)} tokens (verdicts are for this context)`);
  ctx.stdout(`Speed     tokens/s generated, and the time for a small project (~${SMALL_PROJECT.promptTokens / 1000}k prompt + ~${SMALL_PROJECT.generatedTokens / 1000}k generated tokens)`);
  for (const h of catalog.hosts) if (!h.reachable) ctx.stdout(`Host      ${h.host}: unreachable (${h.error ?? 'no answer'}); its models are not listed`);
  ctx.stdout('');

  const multiHost = catalog.hosts.length > 1;
  ctx.stdout('Installed');
  if (view.installed.length === 0) ctx.stdout('  (none match)');
  else {
    const rows = view.installed.map((m) => [
      MARK[m.fit.verdict] + (m.fit.verdict === 'partial' && m.fit.gpuLayersPercent !== null ? ` ${m.fit.gpuLayersPercent}%` : ''),
      m.name + (m.name === catalog.recommended ? ' ★' : ''),
      ...(multiHost ? [m.host] : []),
      m.fit.estimate ? `${gib(m.fit.estimate.totalBytes)}${m.fit.estimate.rough ? ' (rough)' : ''}` : '—',
      speedCell(m.speed),
      m.fit.maxGpuContext ? ctxLabel(m.fit.maxGpuContext) : '—',
      m.loaded ? `loaded: ${gib(m.loaded.sizeBytes)}, ${m.loaded.sizeBytes > 0 ? Math.round((m.loaded.sizeVramBytes / m.loaded.sizeBytes) * 100) : 0}% GPU` : '',
    ]);
    const header = ['FIT', 'MODEL', ...(multiHost ? ['HOST'] : []), 'NEEDS', 'SPEED, SMALL PROJECT', 'MAX GPU CTX', 'NOW'];
    for (const line of table(header, rows)) ctx.stdout(`  ${line}`);
    for (const m of view.installed) ctx.stdout(`  · ${m.name}: ${m.fit.explanation}`);
  }
  ctx.stdout('');
  const notInstalled = view.curated.filter((c) => !c.installed);
  ctx.stdout('Curated, not installed (pull from the Models screen, or: ollama pull NAME)');
  if (notInstalled.length === 0) ctx.stdout('  (none match)');
  else {
    const rows = notInstalled.map((c) => [
      MARK[c.fit.verdict] + (c.fit.verdict === 'partial' && c.fit.gpuLayersPercent !== null ? ` ${c.fit.gpuLayersPercent}%` : ''),
      c.name,
      gib(c.sizeBytes),
      c.fit.estimate ? gib(c.fit.estimate.totalBytes) : '—',
      speedCell(c.speed),
      c.fit.maxGpuContext ? ctxLabel(c.fit.maxGpuContext) : '—',
      truncate(c.description, 60),
    ]);
    for (const line of table(['FIT', 'MODEL', 'DOWNLOAD', 'NEEDS', 'SPEED, SMALL PROJECT', 'MAX GPU CTX', 'ABOUT'], rows)) ctx.stdout(`  ${line}`);
  }
  ctx.stdout('');
  ctx.stdout(catalog.recommended ? `Recommended default: ${catalog.recommended} ★` : 'Recommended default: none (no installed model runs here)');
}

export async function modelsCommand(ctx: CliContext, opts: ModelsOptions, deps: ModelsCommandDeps = {}): Promise<number> {
  let fits: FitVerdict[] | undefined;
  if (opts.fits !== undefined) {
    const parsed = parseFitsList(opts.fits);
    if (parsed.fits.length === 0 || parsed.bad.length > 0) {
      ctx.stderr(`--fits takes gpu, partial, cpu, too_big or unknown (comma-separated), got "${opts.fits}".`);
      return EXIT_USAGE;
    }
    fits = parsed.fits;
  }
  let catalog: ModelCatalog;
  try {
    catalog = await (deps.loadCatalog ?? engineCatalog)(ctx);
  } catch (err) {
    const e = toErrorPayload(err);
    ctx.stderr(`error: ${e.message} [${e.code}]`);
    return EXIT_FAILED;
  }
  const view = filterCatalog(catalog, { fits, language: opts.language });
  if (opts.json) {
    ctx.stdout(JSON.stringify({ ...catalog, installed: view.installed, curated: view.curated }, null, 2));
  } else {
    render(ctx, catalog, view);
  }
  // Exit 1 when no host answered: scripts can tell "nothing fits" from "Ollama is down".
  return catalog.hosts.some((h) => h.reachable) ? 0 : EXIT_FAILED;
}
