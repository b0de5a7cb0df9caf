// The REST API key (app.apiKey), loaded when Settings opens.
import { useEffect, useState } from 'react';
import type { MethodResult } from '../../../shared/index.js';
import { toClientError, type ClientError } from '../client/index.js';
import { client } from '../store/app-state.js';

export type ApiKeyState =
  | { status: 'loading' }
  | { status: 'ready'; key: MethodResult<'app.apiKey'> }
  | { status: 'error'; error: ClientError };

export function useApiKey(): ApiKeyState {
  const [state, setState] = useState<ApiKeyState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    client()
      .call('app.apiKey', {})
      .then((key) => live && setState({ status: 'ready', key }))
      .catch((err: unknown) => live && setState({ status: 'error', error: toClientError(err) }));
    return () => {
      live = false;
    };
  }, []);
  return state;
}
