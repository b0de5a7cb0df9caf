export { createEngine, type Engine, type EngineOptions, type TopicListener } from './create-engine.js';
export { parseParams, describeIssues } from './validate.js';
export type { EngineStatsSnapshot } from './stats.js';
