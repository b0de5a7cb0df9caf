import { useEffect } from 'react';
import { useApp } from '../../store/app-state.js';
import { closeModelsScreen, loadModels, refreshHardware } from '../../store/catalog.js';
import { errorLine } from '../../lib/error-text.js';
import { ContextSelector } from './ContextSelector.js';
import { HardwareSummary } from './HardwareSummary.js';
import { HostStatusList } from './HostStatusList.js';
import { LoadedModels } from './LoadedModels.js';
import { InstalledModels } from './InstalledModels.js';
import { CuratedModels } from './CuratedModels.js';
import { PullByName } from './PullByName.js';
import { ProviderModelsSection } from '../ProviderModelsSection.js';

/** The Models screen: this machine, what is installed and loaded, and coding models to pull. */
export function ModelsScreen() {
  const catalog = useApp((s) => s.screenCatalog ?? s.catalog);
  // What is loaded does not depend on the context explored here; its estimate is best compared at the tasks' context.
  const mainCatalog = useApp((s) => s.catalog);
  const error = useApp((s) => s.catalogError);
  const loading = useApp((s) => s.screenLoading);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeModelsScreen();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeModelsScreen()}>
      <section className="models-screen" role="dialog" aria-modal="true" aria-labelledby="models-title" data-testid="models-screen">
        <header className="models-head">
          <h2 id="models-title">Models</h2>
          {catalog && <ContextSelector />}
          <span className="models-head-spacer" />
          <button
            type="button"
            className="btn btn-small"
            data-testid="models-refresh"
            disabled={loading}
            onClick={() => void refreshHardware()}
            title="Probe the GPU and RAM again and re-check every model (e.g. after closing another GPU program)"
          >
            {loading ? <span className="spinner" aria-hidden="true" /> : <span aria-hidden="true">↻</span>}
            Refresh
          </button>
          <button type="button" className="btn btn-ghost btn-small models-close" aria-label="Close" data-testid="models-close" onClick={closeModelsScreen}>
            ✕
          </button>
        </header>
        <div className="models-body">
          {error && (
            <div className="field-error general" role="alert" data-testid="models-error">
              {catalog ? 'Could not update the model list: ' : 'Could not read the model catalog: '}
              {errorLine(error)}
              {!catalog && (
                <button type="button" className="btn btn-small models-retry" onClick={() => void loadModels({ refresh: true })}>
                  Try again
                </button>
              )}
            </div>
          )}
          {catalog ? (
            <>
              <HardwareSummary hardware={catalog.hardware} />
              <HostStatusList hosts={catalog.hosts} />
              <LoadedModels catalog={mainCatalog ?? catalog} />
              <InstalledModels catalog={catalog} />
              <ProviderModelsSection />
              <PullByName catalog={catalog} />
              <CuratedModels catalog={catalog} />
            </>
          ) : (
            !error && (
              <div className="models-loading">
                <span className="spinner" aria-hidden="true" /> Checking this machine and the installed models…
              </div>
            )
          )}
        </div>
      </section>
    </div>
  );
}
