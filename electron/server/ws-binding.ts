import type { WebSocket, WebSocketServer } from 'ws';
import type { WsRequestFrame } from '../../shared/index.js';
import { toErrorPayload, MacsError } from '../../shared/index.js';
import type { Engine } from '../core/engine/index.js';
import { parseJsonText } from './json-text.js';

type Overrides = Partial<Record<string, (params: unknown) => Promise<unknown>>>;

const MAX_FRAME_BYTES = 25 * 1024 * 1024;
const BACKPRESSURE_BYTES = 4 * 1024 * 1024;

function parseFrame(raw: string): WsRequestFrame {
  const f = parseJsonText(raw, 'The message') as Partial<WsRequestFrame>;
  if (typeof f !== 'object' || f === null || typeof f.id !== 'number' || typeof f.method !== 'string') {
    throw new MacsError('INVALID_INPUT', 'Expected {id: number, method: string, params}.');
  }
  return f as WsRequestFrame;
}

/** The contract over WebSocket: requests in, results/errors and topic pushes out. */
export function bindContractToWebSocket(wss: WebSocketServer, engine: Engine, overrides: Overrides = {}): () => void {
  wss.on('connection', (socket: WebSocket) => {
    socket.on('message', async (data, isBinary) => {
      if (isBinary) return;
      const raw = data.toString();
      let id = -1;
      try {
        if (raw.length > MAX_FRAME_BYTES) throw new MacsError('INVALID_INPUT', 'The message is too large.');
        const frame = parseFrame(raw);
        id = frame.id;
        const override = overrides[frame.method];
        const result = override ? await override(frame.params) : await engine.invoke(frame.method, frame.params);
        send(socket, { id, result });
      } catch (err) {
        send(socket, { id, error: toErrorPayload(err) });
      }
    });
  });
  // A browser that cannot keep up (50 MB of terminal output) must not grow our send buffers without bound.
  engine.setTransportBackpressure(() => [...wss.clients].some((c) => c.bufferedAmount > BACKPRESSURE_BYTES));
  return engine.onTopic((topic, payload) => {
    const text = JSON.stringify({ topic, payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });
}

function send(socket: WebSocket, frame: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}
