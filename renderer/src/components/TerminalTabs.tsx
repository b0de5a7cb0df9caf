import type { TerminalSession } from '../../../shared/index.js';
import { closeSession, setActiveSession, useTerminal } from '../store/terminal.js';
import { TerminalBadge } from './TerminalBadge.js';
import { AppErrorCount } from './RunErrorList.js';

const TAB_TITLE: Record<Exclude<TerminalSession['kind'], 'shell'>, string> = {
  runs: 'Commands the pipeline ran for this task (read-only)',
  app: 'The project’s app: install and server output, and the errors it produced (read-only)',
};
const TAB_LABEL: Record<Exclude<TerminalSession['kind'], 'shell'>, string> = { runs: 'Runs', app: 'App' };

function Tab({ session, active, unseen }: { session: TerminalSession; active: boolean; unseen: boolean }) {
  const readOnly = session.kind !== 'shell';
  const exited = !session.alive;
  return (
    <div
      role="tab"
      aria-selected={active}
      tabIndex={0}
      className={`term-tab${active ? ' active' : ''}${exited ? ' exited' : ''}`}
      data-testid="terminal-tab"
      data-kind={session.kind}
      data-session={session.sessionId}
      title={session.kind === 'shell' ? `${session.title} in ${session.cwd}` : TAB_TITLE[session.kind]}
      onClick={() => setActiveSession(session.sessionId)}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setActiveSession(session.sessionId)}
    >
      {unseen && <span className="term-tab-news" title="New output" data-testid="terminal-unseen" />}
      <span className="term-tab-title">{session.kind === 'shell' ? session.title : TAB_LABEL[session.kind]}</span>
      {session.kind === 'app' && <AppErrorCount />}
      <TerminalBadge level={session.level} />
      {exited && <span className="term-tab-exit">{session.kind === 'app' ? 'stopped' : `exited${session.exitCode !== null ? ` ${session.exitCode}` : ''}`}</span>}
      {!readOnly && (
        <button
          type="button"
          className="term-tab-close"
          aria-label={`Close ${session.title}`}
          title={session.alive ? 'Close (ends the shell and everything it started)' : 'Close'}
          data-testid="terminal-close"
          onClick={(e) => {
            e.stopPropagation();
            void closeSession(session.sessionId);
          }}
        >
          ×
        </button>
      )}
    </div>
  );
}

/** One tab per session: the project's App first, the selected turn's Runs, then shells. */
export function TerminalTabs() {
  const sessions = useTerminal((s) => s.sessions);
  const activeId = useTerminal((s) => s.activeId);
  const unseen = useTerminal((s) => s.unseen);
  return (
    <div className="term-tabs" role="tablist" aria-label="Terminal sessions">
      {sessions.map((s) => (
        <Tab key={s.sessionId} session={s} active={s.sessionId === activeId} unseen={Boolean(unseen[s.sessionId])} />
      ))}
    </div>
  );
}
