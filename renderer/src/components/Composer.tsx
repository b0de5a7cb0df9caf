import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { appStore, selectActiveProject, useApp } from '../store/app-state.js';
import { sendPrompt } from '../store/tasks.js';
import { describeError } from '../lib/error-text.js';
import { InlineCode } from './InlineCode.js';
import { ComposerKindToggle } from './ComposerKindToggle.js';
import { ComposerChips, ContextLine } from './ComposerContext.js';
import { useWs, wsStore } from '../store/workspace-state.js';
import { contextChoice, resetContext } from '../store/context.js';
import { composePrompt } from '../lib/attachments.js';
import { composerPlaceholder } from '../lib/project-text.js';
import { MentionMenu, useMention } from './ComposerMention.js';

export function Composer() {
  const draft = useApp((s) => s.draft);
  const sending = useApp((s) => s.sending);
  const model = useApp((s) => s.selectedModel);
  const task = useApp((s) => s.activeTask);
  // '' while the selected project's row is loading; null: New project.
  const projectName = useApp((s) => (s.activeProjectId ? (selectActiveProject(s)?.name ?? '') : null));
  const error = useApp((s) => s.composerError);
  const ollamaDown = useApp((s) => s.ollama !== null && !s.ollama.reachable);
  const ollamaHost = useApp((s) => s.ollama?.host ?? null);
  const waitMinutes = useApp((s) => s.settings?.ollamaWaitMinutes ?? null);
  const build = useApp((s) => s.composerKind === 'build');
  const ref = useRef<HTMLTextAreaElement>(null);
  const hasFiles = useWs((s) => (s.tree?.fileCount ?? 0) > 0);
  const mention = useMention(draft, (text, caret) => {
    appStore.setState({ draft: text, composerError: null });
    requestAnimationFrame(() => ref.current?.setSelectionRange(caret, caret));
  });

  // Grow with the text up to a cap.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [draft, task === null]);

  const canSend = draft.trim().length > 0 && !sending && model !== null;

  const send = async () => {
    if (!canSend) return;
    // A turn of the selected project (with the user's pins and removals), else a new project; dropped files ride in the prompt.
    const ws = wsStore.getState();
    const prompt = composePrompt(draft.trim(), ws.attachments);
    const projectId = appStore.getState().activeProjectId;
    const ok = await sendPrompt(prompt, projectId ? { projectId, context: contextChoice() } : {});
    if (ok) {
      appStore.setState({ draft: '' });
      resetContext();
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mention.onKeyDown(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const err = error ? describeError(error, { model }) : null;

  return (
    <div className="composer">
      {err && (
        <div className="composer-error" role="alert" data-testid="composer-error">
          <InlineCode text={err.text} />
          {err.detail && <span className="notice-detail">{err.detail}</span>}
        </div>
      )}
      <ComposerChips />
      <div className="composer-box">
        <MentionMenu state={mention} />
        <textarea
          ref={ref}
          data-testid="prompt-input"
          rows={1}
          value={draft}
          placeholder={composerPlaceholder(projectName, build)}
          onChange={(e) => {
            appStore.setState({ draft: e.target.value, composerError: null });
            mention.update(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => mention.update(e.currentTarget.value, e.currentTarget.selectionStart)}
          onBlur={mention.close}
          aria-controls={mention.options.length > 0 ? 'composer-mention-menu' : undefined}
          aria-activedescendant={mention.options.length > 0 ? `mention-${mention.active}` : undefined}
          onKeyDown={onKeyDown}
          spellCheck
        />
        <div className="composer-actions">
          <ComposerKindToggle />
          <button
            type="button"
            className="btn btn-primary"
            data-testid="send-button"
            disabled={!canSend}
            onClick={() => void send()}
            title={model ? `${build ? 'Build with' : 'Send to'} ${model} (Enter)` : 'Pick a model first'}
          >
            {sending ? <span className="spinner" aria-hidden="true" /> : null}
            {build ? 'Build' : 'Send'}
          </button>
        </div>
      </div>
      <ContextLine />
      <div className="composer-hint">
        <span>
          <kbd>Enter</kbd> to {build ? 'build' : 'send'} · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
          {hasFiles && <> · <kbd>@</kbd> adds a file</>}
          {build && <span className="composer-hint-build"> · plan → write → test → fix → review</span>}
        </span>
        {ollamaDown ? (
          <span className="composer-hint-warn" data-testid="composer-ollama-down">
            Ollama is not reachable{ollamaHost ? ` at ${ollamaHost}` : ''}
            {waitMinutes ? ` — a task sent now waits for it (up to ${waitMinutes} min).` : ' — see above.'}
          </span>
        ) : (
          !model && <span className="composer-hint-warn">Pick a model in the top bar first.</span>
        )}
      </div>
    </div>
  );
}
