export { SettingsStore, normalizeOllamaHost, DEFAULT_OLLAMA_HOST, DEFAULT_NUM_CTX } from './settings-store.js';
