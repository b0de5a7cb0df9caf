export { defaultDataDir, APP_NAME } from './data-dir.js';
