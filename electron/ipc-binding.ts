import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_TOPIC_CHANNEL, METHOD_NAMES, MacsError, toErrorPayload, type MethodName } from '../shared/index.js';
import type { Engine } from './core/engine/index.js';

type Override = (params: unknown, event: IpcMainInvokeEvent) => Promise<unknown>;

/**
 * The contract over Electron IPC: one ipcMain.handle per method name, results in an
 * envelope (thrown errors lose their code crossing IPC), topics on one channel.
 */
export function bindContractToIpc(
  engine: Engine,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  overrides: Partial<Record<MethodName, Override>> = {},
): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(method, async (event, params: unknown) => {
      try {
        if (!isTrustedSender(event)) throw new MacsError('UNAUTHORIZED', 'IPC from an untrusted frame.');
        const override = overrides[method];
        const result = override ? await override(params, event) : await engine.invoke(method, params);
        return { ok: true, result };
      } catch (err) {
        return { ok: false, error: toErrorPayload(err) };
      }
    });
  }
  return () => METHOD_NAMES.forEach((m) => ipcMain.removeHandler(m));
}

export function forwardTopics(engine: Engine, target: () => WebContents | null): () => void {
  return engine.onTopic((topic, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(IPC_TOPIC_CHANNEL, { topic, payload });
  });
}
