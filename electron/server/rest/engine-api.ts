// What the REST layer needs from the engine. Written as a structural subset (not `Engine`
// itself) so the API can be driven by any engine that offers these, and so this file says
// exactly which engine features the API depends on.
import type { MethodName, MethodParams, MethodResult } from '../../../shared/index.js';
import type { Engine, EngineStatsSnapshot } from '../../core/engine/index.js';

export type EngineStats = EngineStatsSnapshot;

export type RestEngine = Pick<Engine, 'dbPath' | 'invoke' | 'onTopic' | 'exportTask' | 'stats' | 'apiKey'> &
  /** The zip a projects.export prepared (GET /v1/projects/{id}/zip); an engine without it serves no project zips. */
  Partial<Pick<Engine, 'exportFile'>> &
  /** The zips kept per task (GET /zips/{task_id}.zip); an engine without them serves none. */
  Partial<Pick<Engine, 'keptZip'>>;

/** engine.invoke with the contract's types (invoke validates params, so this cast is only about the result). */
export async function call<M extends MethodName>(engine: RestEngine, method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
  return (await engine.invoke(method, params)) as MethodResult<M>;
}
