// The composer's Chat | Build switch, remembered across launches (localStorage).
import type { TaskKind } from '../../../shared/index.js';
import { appStore } from './app-state.js';

export const COMPOSER_KIND_KEY = 'macs.composerKind';

/** What a stored value means: anything but 'build' is chat (the default). */
export function parseComposerKind(value: string | null): TaskKind {
  return value === 'build' ? 'build' : 'chat';
}

export function readComposerKind(): TaskKind {
  try {
    return parseComposerKind(localStorage.getItem(COMPOSER_KIND_KEY));
  } catch {
    return 'chat'; // storage disabled
  }
}

export function setComposerKind(kind: TaskKind): void {
  appStore.setState({ composerKind: kind, composerError: null });
  try {
    localStorage.setItem(COMPOSER_KIND_KEY, kind);
  } catch {
    // storage disabled: remembered for this session only
  }
}
