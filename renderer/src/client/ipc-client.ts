// Electron host: wrap the preload bridge (window.macs). IPC has no connection to lose,
// so the state is always 'open'.
import type { MethodName, MethodParams, MethodResult, TopicName, TopicPayload } from '../../../shared/index.js';
import { toClientError } from './errors.js';
import type { AppClient, ConnectionState, MacsBridge } from './types.js';

export function createIpcClient(bridge: MacsBridge): AppClient {
  return {
    host: 'electron',
    async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      try {
        return (await bridge.call(method, params)) as MethodResult<M>;
      } catch (err) {
        throw toClientError(err);
      }
    },
    on<T extends TopicName>(topic: T, handler: (payload: TopicPayload<T>) => void): () => void {
      return bridge.on(topic, (payload) => handler(payload as TopicPayload<T>));
    },
    getState: (): ConnectionState => 'open',
    subscribeState: () => () => undefined,
  };
}
