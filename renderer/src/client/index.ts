// Pick the transport: Electron's preload bridge if present, else the WebSocket host.
import { createIpcClient } from './ipc-client.js';
import { createWsClient, defaultWsUrl, readToken } from './ws-client.js';
import type { AppClient } from './types.js';

export type { AppClient, ConnectionState, HostKind } from './types.js';
export { ClientError, toClientError } from './errors.js';
export type { ClientErrorCode } from './errors.js';

export function createClient(): AppClient {
  if (window.macs) return createIpcClient(window.macs);
  return createWsClient(defaultWsUrl(readToken()));
}
