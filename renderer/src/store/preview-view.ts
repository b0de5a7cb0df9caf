// The desktop app's native preview view (electron/preview-view.ts), driven from the
// renderer: attach it over the preview's rectangle, move it with the layout, take it off.
// A failed call is logged, not toasted: the next layout change tries again.
import type { MethodParams } from '../../../shared/index.js';
import { client } from './app-state.js';

export async function attachPreviewView(params: MethodParams<'preview.attach'>): Promise<void> {
  try {
    await client().call('preview.attach', params);
  } catch (err) {
    console.warn('[macs] preview.attach failed', err);
  }
}

export async function detachPreviewView(projectId: string): Promise<void> {
  try {
    await client().call('preview.detach', { projectId });
  } catch (err) {
    console.warn('[macs] preview.detach failed', err);
  }
}
