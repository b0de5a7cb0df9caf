// Sandboxed preload: exposes exactly the contract's method and topic names, nothing else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_TOPIC_CHANNEL, METHOD_NAMES, TOPIC_NAMES } from '../shared/contract.js';

const allowedMethods = new Set<string>(METHOD_NAMES);
const allowedTopics = new Set<string>(TOPIC_NAMES);

type Envelope = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } };

contextBridge.exposeInMainWorld('macs', {
  host: 'electron',
  async call(method: string, params: unknown): Promise<unknown> {
    // contextBridge copies only `message` from Error objects, so rejections are plain
    // {code, message, details} objects, which it clones whole.
    if (!allowedMethods.has(method)) throw { code: 'UNKNOWN_METHOD', message: `Unknown method "${method}".` };
    const envelope = (await ipcRenderer.invoke(method, params)) as Envelope;
    if (envelope.ok) return envelope.result;
    throw envelope.error;
  },
  on(topic: string, handler: (payload: unknown) => void): () => void {
    if (!allowedTopics.has(topic)) throw new Error(`Unknown topic "${topic}".`);
    const listener = (_event: IpcRendererEvent, frame: { topic: string; payload: unknown }) => {
      if (frame.topic === topic) handler(frame.payload);
    };
    ipcRenderer.on(IPC_TOPIC_CHANNEL, listener);
    return () => ipcRenderer.removeListener(IPC_TOPIC_CHANNEL, listener);
  },
});

// Beside the contract, one host helper: the real path of a file or folder dropped on the
// window (to open a dropped folder as the workspace). It cannot be a contract method:
// a File object cannot cross IPC (structured clone drops its path; Electron 32 removed
// File.path), so the path must be read here, in the renderer's own process.
contextBridge.exposeInMainWorld('macsHost', {
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
