import type { IsolationLevel } from '../../../shared/index.js';

const TITLE: Record<IsolationLevel, string> = {
  'read-only': 'Sandboxed: nothing can be written, no network',
  'workspace-write': 'Sandboxed: writes only in the workspace, no network',
  'workspace-write+net': 'Sandboxed: writes only in the workspace, network allowed',
  unrestricted: 'Not sandboxed: runs with your full user rights',
};

/**
 * The isolation level of a session, by the same name the engine, the prompt and
 * `macs exec --level` use: green sandboxed, amber with network, red unrestricted.
 */
export function TerminalBadge({ level }: { level: IsolationLevel }) {
  return (
    <span className={`term-badge term-badge-${level.replace('+', '-')}`} title={TITLE[level]} data-testid="terminal-level" data-level={level}>
      {level}
    </span>
  );
}
