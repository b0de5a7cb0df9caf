export { startServer, type RunningServer, type ServerOptions } from './create-server.js';
export { CONTENT_SECURITY_POLICY } from './static-files.js';
