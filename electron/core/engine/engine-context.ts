import type { Task, TopicName, TopicPayload } from '../../../shared/index.js';
import type { ApiKey } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { HardwareService } from '../hardware/index.js';
import type { ModelService } from '../models/index.js';
import type { PreviewService } from '../preview/index.js';
import type { Sandbox } from '../sandbox/index.js';
import type { TerminalManager } from '../terminal/index.js';
import type { ExecService } from './exec-service.js';
import type { ArtifactStore, StepStore } from '../pipeline/index.js';
import type { FolderService } from '../project-folder/index.js';
import type { ProjectService } from '../projects/index.js';
import type { ModelProvider } from '../llm/index.js';
import type { KeyStore, LlmConfigStore, ProviderRegistry } from '../providers/types.js';
import type { QueueChange, QueueWorker, TaskQueue } from '../queue/index.js';
import type { SettingsStore } from '../settings/index.js';
import type { EventCoalescer } from '../stream/index.js';
import type { TaskStore } from '../tasks/index.js';
import type { ExportService } from './export-service.js';
import type { HostRouter } from './host-router.js';
import type { OllamaMonitor } from './ollama-monitor.js';
import type { EngineStats } from './stats.js';

export type TopicListener = <T extends TopicName>(topic: T, payload: TopicPayload<T>) => void;

/** Everything the handlers need, built once by createEngine. */
export interface EngineContext {
  host: 'electron' | 'browser' | 'cli';
  version: string;
  dataDir: string;
  db: Db;
  store: TaskStore;
  /** Build pipeline step attempts and their artifacts. */
  steps: StepStore;
  artifacts: ArtifactStore;
  /** Project folders on disk: checks, tree, read/write, watch, context retrieval. */
  folders: FolderService;
  /** Projects: generated and opened folders, their turns and versions. */
  projects: ProjectService;
  /** Running what a project built (issue 14); null where this process cannot run apps. */
  preview: PreviewService | null;
  queue: TaskQueue;
  worker: QueueWorker;
  settings: SettingsStore;
  coalescer: EventCoalescer;
  monitor: OllamaMonitor;
  exports: ExportService;
  stats: EngineStats;
  hardware: HardwareService;
  models: ModelService;
  /** The machine's sandbox (detected on first call, then cached). */
  sandbox(): Sandbox;
  exec: ExecService;
  terminals: TerminalManager;
  apiKey: ApiKey;
  /** The CLI runs only its own tasks; the app and server run the queue. */
  runsQueue: boolean;
  router: HostRouter;
  /** The provider configuration (mode, local only, providers, routes), stored in SQLite. */
  llmConfig: LlmConfigStore;
  /** Provider keys: OS keychain (desktop app) or a 0600 file. */
  keys: KeyStore;
  /** Every provider and the routes between them (Ollama's hosts included). */
  providers: ProviderRegistry;
  /** The default host's provider. */
  provider(): ModelProvider;
  /** Settings changed the host list: drop cached model lists, re-check reachability. */
  onHostsChanged(): void;
  /** Tokens of context a prompt to this model can carry (its ceiling minus the answer and the prompt). */
  contextBudget(model: string, prompt: string): Promise<number>;
  countTokens(model: string, text: string): number;
  publish: TopicListener;
  publishChange(change: QueueChange): void;
  waitForTask(taskId: string, timeoutMs?: number): Promise<Task>;
}
