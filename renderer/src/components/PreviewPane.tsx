// The Preview tab of the editor area: the project's running web app on its own origin (a
// different port), with an address bar for paths inside the app, reload, open in the system
// browser, and phone / tablet / desktop widths. Never blank without a reason: while the app
// is not running, starting or failed, it says so (with the output tail when it failed).
import { useEffect, useState, type FormEvent } from 'react';
import type { AppRun, RunState } from '../../../shared/index.js';
import { PREVIEW_DEVICES, previewNotice, previewPath, previewTarget, runIsBusy } from '../lib/app-run-text.js';
import { navigatePreview, previewOf, reloadPreview, runApp, setPreviewDevice, useAppRun } from '../store/app-run.js';
import { useApp } from '../store/app-state.js';
import { appLinkOpeners } from './app-link-openers.js';
import { PreviewSurface } from './PreviewSurface.js';
import { RunFailureDetails } from './RunFailureDetails.js';
import { showAppTerminal } from '../store/terminal-app.js';

/** The address bar while there is no page. */
const ADDRESS_IDLE: Record<RunState, string> = { idle: 'not running', installing: 'installing…', starting: 'starting…', ready: 'no page', exited: 'exited', failed: 'failed' };

function DeviceIcon({ id }: { id: (typeof PREVIEW_DEVICES)[number]['id'] }) {
  if (id === 'phone') {
    return (
      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
        <rect x="4.5" y="1.5" width="7" height="13" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <path d="M7 12.5h2" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
      </svg>
    );
  }
  if (id === 'tablet') {
    return (
      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
        <rect x="2.5" y="1.5" width="11" height="13" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <path d="M7 12.5h2" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
      </svg>
    );
  }
  return (
    <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
      <rect x="1.5" y="2.5" width="13" height="9" rx="1.2" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="M5.5 14h5M8 11.5V14" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
    </svg>
  );
}

/** Opens the app outside MACS: the system browser on the desktop app, a new tab without an opener in a browser. */
function OpenOutside({ url }: { url: string }) {
  const host = useApp((s) => s.host);
  const label = 'Open in the system browser';
  const icon = (
    <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
      <path d="M9 2.5h4.5V7M13.5 2.5 7.5 8.5M11.5 9.5v3.5h-9v-9H6" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
  if (host === 'electron') {
    return (
      <button type="button" className="icon-btn" title={label} aria-label={label} data-testid="preview-open-external" onClick={() => void appLinkOpeners.openExternal({ url })}>
        {icon}
      </button>
    );
  }
  return (
    // noopener: the tab gets no handle on MACS. Not noreferrer: the preview admits a page opened
    // from another port only when the Referer names MACS, so it carries MACS's origin (no path, no token).
    <a
      className="icon-btn"
      href={url}
      target="_blank"
      rel="noopener"
      referrerPolicy="origin"
      title="Open in a new browser tab"
      aria-label="Open in a new browser tab"
      data-testid="preview-open-external"
    >
      {icon}
    </a>
  );
}

function AddressBar({ projectId, run, url }: { projectId: string; run: AppRun; url: string }) {
  const [text, setText] = useState(previewPath(url));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setText(previewPath(url));
    setBad(false);
  }, [url]);
  const base = run.url ?? url;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const target = previewTarget(base, text);
    setBad(target === null);
    if (target) navigatePreview(projectId, target);
  };
  return (
    <form className={`preview-address${bad ? ' bad' : ''}`} onSubmit={submit} title={bad ? 'Only paths inside the app open here (same host and port)' : url}>
      <span className="preview-origin">{new URL(base).host}</span>
      <input
        className="preview-path"
        data-testid="preview-address"
        aria-label="Path within the app"
        aria-invalid={bad}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setBad(false);
        }}
        onFocus={(e) => e.target.select()}
      />
    </form>
  );
}

function Notice({ projectId, run }: { projectId: string; run: AppRun | null }) {
  const notice = previewNotice(run);
  const pending = useAppRun((s) => s.pending[projectId] ?? null);
  if (!notice) return null;
  const busy = runIsBusy(run);
  const canRun = !run || run.state === 'idle' || run.state === 'failed' || run.state === 'exited';
  const failed = run !== null && (run.state === 'failed' || (run.state === 'exited' && run.exitCode !== 0));
  return (
    <div className={`preview-notice${failed ? ' failed' : ''}`} data-testid="preview-notice" data-state={run?.state ?? 'idle'}>
      <div className="preview-notice-card">
        <div className="preview-notice-title">
          {busy && <span className="spinner" aria-hidden="true" />}
          {notice.title}
        </div>
        {failed ? <RunFailureDetails run={run} /> : <p className="preview-notice-body">{notice.body}</p>}
        {canRun && (
          <button type="button" className="btn btn-small btn-run" data-testid="preview-run" disabled={pending !== null} onClick={() => void runApp(projectId)}>
            {failed ? 'Run again' : 'Run'}
          </button>
        )}
      </div>
    </div>
  );
}

export function PreviewPane({ projectId }: { projectId: string }) {
  const run = useAppRun((s) => s.runs[projectId] ?? null);
  const preview = useAppRun((s) => previewOf(s, projectId));
  const showing = run?.state === 'ready' && run.url !== null && previewNotice(run) === null;
  const url = preview.url ?? run?.url ?? null;
  const device = PREVIEW_DEVICES.find((d) => d.id === preview.device) ?? PREVIEW_DEVICES[2];

  return (
    <div className="preview-pane" data-testid="preview-pane">
      <div className="preview-bar">
        <button type="button" className="icon-btn" title="Reload the page" aria-label="Reload the page" data-testid="preview-reload" disabled={!showing} onClick={() => reloadPreview(projectId)}>
          <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
            <path d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v3h-3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
        {showing && run && url ? <AddressBar projectId={projectId} run={run} url={url} /> : <span className="preview-address preview-address-idle">{ADDRESS_IDLE[run?.state ?? 'idle']}</span>}
        <span className="preview-devices" role="radiogroup" aria-label="Width">
          {PREVIEW_DEVICES.map((d) => (
            <button
              key={d.id}
              type="button"
              role="radio"
              aria-checked={preview.device === d.id}
              className={`icon-btn${preview.device === d.id ? ' pressed' : ''}`}
              title={d.width ? `${d.label} (${d.width} px wide)` : `${d.label} (the pane’s width)`}
              aria-label={d.label}
              data-testid={`preview-device-${d.id}`}
              onClick={() => setPreviewDevice(projectId, d.id)}
            >
              <DeviceIcon id={d.id} />
            </button>
          ))}
        </span>
        {showing && url && <OpenOutside url={url} />}
      </div>
      {showing && run?.reason && (
        <div className="preview-warning" role="status" data-testid="preview-warning">
          <span aria-hidden="true">⚠</span>
          <span className="preview-warning-text">{run.reason}</span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => showAppTerminal()}>
            Show the errors
          </button>
        </div>
      )}
      {showing && url ? <PreviewSurface projectId={projectId} url={url} width={device.width} reloads={preview.reloads} /> : <Notice projectId={projectId} run={run} />}
    </div>
  );
}
