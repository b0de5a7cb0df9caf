// The set-up the model-catalog tests share: an Ollama stand-in, and a fresh database holding the /api/show cache.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../electron/core/db/index.js';
import { ModelMetadataCache } from '../../electron/core/models/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { tempDataDir } from './helpers.js';

export const GIB = 1024 ** 3;
/** The catalog's model settings in these tests. */
export const SETTINGS = { numCtx: 8192, kvCacheType: 'f16' as const, flashAttention: false };

export interface ModelTestBed {
  standin: OllamaStandin;
  dataDir: string;
  db: Db;
  cache: ModelMetadataCache;
  close(): Promise<void>;
}

export async function openModelTestBed(label: string): Promise<ModelTestBed> {
  const standin = await startOllamaStandin();
  const dataDir = tempDataDir(label);
  const db = openDatabase(path.join(dataDir, 'macs.db'));
  return {
    standin,
    dataDir,
    db,
    cache: new ModelMetadataCache(db),
    async close() {
      db.close();
      await standin.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
