// Where the app's page is drawn. In a browser: an iframe on the app's own origin (another
// port), sandboxed without top navigation or popups. In the desktop app: a native
// WebContentsView (its own session, no preload, no node) that the main process lays over
// this element's rectangle (preview.attach), so nothing of MACS is reachable from the page.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApp } from '../store/app-state.js';
import { attachPreviewView, detachPreviewView } from '../store/preview-view.js';
import { useModalOpen } from '../hooks/use-modal-open.js';

/** allow-same-origin is the app's own origin (a different port from MACS), so MACS stays out of reach. */
export const PREVIEW_SANDBOX = 'allow-scripts allow-forms allow-same-origin allow-modals';

/** A device width wider than the pane is drawn scaled down, as browser device toolbars do. */
function useStageSize(): [React.RefObject<HTMLDivElement | null>, { width: number; height: number }] {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    setSize({ width: el.clientWidth, height: el.clientHeight });
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

/** The desktop app's native view follows this box (position and size), and steps aside while a modal dialog is open. */
function NativeView({ projectId, url, reloads }: { projectId: string; url: string; reloads: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const covered = useModalOpen(true);
  const loaded = useRef<{ url: string; reloads: number } | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || covered) return;
    const place = () => {
      const r = el.getBoundingClientRect();
      const last = loaded.current;
      const reload = last === null || last.url !== url || last.reloads !== reloads;
      loaded.current = { url, reloads };
      void attachPreviewView({ projectId, url, reload, bounds: { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) } });
    };
    const observer = new ResizeObserver(place);
    observer.observe(el);
    window.addEventListener('resize', place);
    place();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', place);
      loaded.current = null;
      void detachPreviewView(projectId);
    };
  }, [projectId, url, reloads, covered]);
  return <div className="preview-native" ref={ref} data-testid="preview-native" />;
}

export function PreviewSurface({ projectId, url, width, reloads }: { projectId: string; url: string; width: number | null; reloads: number }) {
  const host = useApp((s) => s.host);
  const [stageRef, stage] = useStageSize();
  const frameWidth = width ?? stage.width;
  const scale = width && stage.width > 0 && width > stage.width - 24 ? (stage.width - 24) / width : 1;
  const framed = width !== null;
  const style = framed
    ? { width: frameWidth, height: Math.max(0, (stage.height - 24) / scale), transform: scale < 1 ? `scale(${scale})` : undefined }
    : { width: '100%', height: '100%' };

  return (
    <div className={`preview-stage${framed ? ' framed' : ''}`} ref={stageRef} data-testid="preview-stage">
      <div className="preview-frame-box" style={framed ? { width: frameWidth * scale, height: stage.height - 24 } : undefined}>
        <div className="preview-frame-scale" style={style}>
          {host === 'electron' ? (
            <NativeView projectId={projectId} url={url} reloads={reloads} />
          ) : (
            <iframe
              // A new iframe per reload: the page is another origin, so MACS cannot call its location.reload().
              key={`${url}#${reloads}`}
              className="preview-frame"
              data-testid="preview-frame"
              title="Preview of the app"
              src={url}
              sandbox={PREVIEW_SANDBOX}
              // MACS's page sends no Referer at all (Referrer-Policy: no-referrer); the preview admits a
              // cross-port frame only when MACS names itself, so this request carries MACS's origin (never a path or token).
              referrerPolicy="origin"
            />
          )}
        </div>
      </div>
      {framed && scale < 1 && <span className="preview-scale-note">{Math.round(scale * 100)}%</span>}
    </div>
  );
}
