// The content of a closed file, read from the engine (files.read). Streaming files are
// shown from the event stream instead, so this only loads once the file is closed.
import { useEffect, useState } from 'react';
import { toClientError, type ClientError } from '../client/index.js';
import { client } from '../store/app-state.js';

export interface FileContent {
  path: string;
  size: number;
  binary: boolean;
  content: string | null;
}

export type FileContentState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; file: FileContent }
  | { status: 'error'; error: ClientError };

/** `key` changes (e.g. sha256) force a reload of the same path. */
export function useFileContent(taskId: string | null, path: string | null, enabled: boolean, key: string | null): FileContentState {
  const [state, setState] = useState<FileContentState>({ status: 'idle' });

  useEffect(() => {
    if (!taskId || !path || !enabled) {
      setState({ status: 'idle' });
      return;
    }
    let live = true;
    setState({ status: 'loading' });
    client()
      .call('files.read', { taskId, path })
      .then((file) => live && setState({ status: 'ready', file }))
      .catch((err: unknown) => live && setState({ status: 'error', error: toClientError(err) }));
    return () => {
      live = false;
    };
  }, [taskId, path, enabled, key]);

  return state;
}
