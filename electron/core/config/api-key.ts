import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface ApiKey {
  apiKey: string;
  source: 'env' | 'file';
}

/** The REST API key: MACS_API_KEY if set, else generated once into <data dir>/api-key (mode 0600). */
export function loadOrCreateApiKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): ApiKey {
  const fromEnv = env.MACS_API_KEY?.trim();
  if (fromEnv) return { apiKey: fromEnv, source: 'env' };
  const file = path.join(dataDir, 'api-key');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return { apiKey: existing, source: 'file' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const apiKey = `macs_${crypto.randomBytes(24).toString('base64url')}`;
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': two processes starting at once must not overwrite each other's key.
    fs.writeFileSync(file, `${apiKey}\n`, { mode: 0o600, flag: 'wx' });
    return { apiKey, source: 'file' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { apiKey: fs.readFileSync(file, 'utf8').trim(), source: 'file' };
    throw err;
  }
}
