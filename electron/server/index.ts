export { startServer, type RunningServer, type ServerOptions } from './create-server.js';
export { CONTENT_SECURITY_POLICY } from './static-files.js';
export { METRICS_ACCESS, parseMetricsAccess, streamTokenFor, type MetricsAccess } from './rest/index.js';
export { CHALLENGE_HEADER, PROOF_HEADER, newChallenge, proofMatches } from './rest/index.js';
