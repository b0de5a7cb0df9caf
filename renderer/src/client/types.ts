// Types shared by both contract clients (Electron IPC and WebSocket).
import type { ContractClient } from '../../../shared/index.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';
export type HostKind = 'electron' | 'browser';

/** What the UI gets: the contract plus the connection state of the transport. */
export interface AppClient extends ContractClient {
  readonly host: HostKind;
  getState(): ConnectionState;
  /** Called on every state change; returns an unsubscribe function. */
  subscribeState(listener: (state: ConnectionState) => void): () => void;
}

/** What Electron's preload exposes (see electron/preload.ts). */
export interface MacsBridge {
  call(method: string, params: unknown): Promise<unknown>;
  on(topic: string, handler: (payload: unknown) => void): () => void;
  host: 'electron';
}

/** Electron only (electron/preload.ts): host helpers that are not contract calls. */
export interface MacsHostBridge {
  /** The absolute path of a dropped file or folder; '' when it has none. */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    macs?: MacsBridge;
    macsHost?: MacsHostBridge;
  }
}
