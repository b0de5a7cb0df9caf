export { defaultDataDir, APP_NAME } from './data-dir.js';
export { loadOrCreateApiKey, type ApiKey } from './api-key.js';
export { makeDataDirPrivate } from './private-dir.js';
