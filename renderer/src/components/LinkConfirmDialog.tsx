// The confirm every link from model output goes through before it leaves the app: the full
// URL, where it really goes (host emphasised), and Open / Copy / Cancel. A model's answer is
// untrusted text; "[docs](https://bank.example@evil.example/)" reads as one place and goes
// to another, so the user sees the parsed destination, not the link text.
import { useEffect, useRef, useState } from 'react';
import { linkScheme, parseExternalLink } from '../../../shared/index.js';
import { toClientError, type HostKind } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { openConfirmedLink, type LinkOpeners } from '../lib/external-link.js';
import { copyText } from '../lib/clipboard.js';
import '../styles/link-confirm.css';

export interface LinkConfirmDialogProps {
  href: string;
  host: HostKind;
  openers: LinkOpeners;
  onClose: () => void;
}

export function LinkConfirmDialog({ href, host, openers, onClose }: LinkConfirmDialogProps) {
  const link = parseExternalLink(href);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    cancel.current?.focus(); // Enter must not open a link the user has not read
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const open = () => {
    setOpening(true);
    setError(null);
    openConfirmedLink(href, host, openers).then(onClose, (err: unknown) => {
      setOpening(false);
      setError(errorLine(toClientError(err)));
    });
  };

  const scheme = link ? null : linkScheme(href);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal link-confirm" role="dialog" aria-modal="true" aria-labelledby="link-confirm-title" data-testid="link-confirm">
        <h2 id="link-confirm-title">{link ? (link.scheme === 'mailto' ? 'Write this email?' : 'Open this link?') : 'This link cannot be opened'}</h2>
        {link ? (
          <p className="link-confirm-where">
            The model’s answer links to{' '}
            <strong className="link-confirm-target" data-testid="link-confirm-target">
              {link.target}
            </strong>
            {link.scheme === 'mailto' ? ' (opens your mail app).' : link.scheme === 'http' ? ' over plain http (not encrypted).' : '.'} Check the
            address before you open it.
          </p>
        ) : (
          <p className="link-confirm-where">
            MACS opens only http, https and mailto links outside the app{scheme ? `; this one is a “${scheme}” link` : '; this one is not a complete URL'}. Copy it
            if you trust it.
          </p>
        )}
        {link?.hasCredentials && (
          <p className="field-error" data-testid="link-confirm-credentials">
            The address has a user name before “@”: it goes to {link.target}, whatever the text in front of the “@” says.
          </p>
        )}
        <code className="link-confirm-url" data-testid="link-confirm-url">
          {link ? link.href : href || '(an empty link)'}
        </code>
        {error && (
          <p className="field-error" role="alert" data-testid="link-confirm-error">
            {error}
          </p>
        )}
        <div className="modal-actions">
          {link && (
            <button type="button" className="btn btn-primary" disabled={opening} onClick={open} data-testid="link-confirm-open">
              {link.scheme === 'mailto' ? 'Open in mail app' : 'Open in browser'}
            </button>
          )}
          <button
            type="button"
            className="btn"
            data-testid="link-confirm-copy"
            onClick={() => void copyText(link ? link.href : href).then((ok) => setCopied(ok ? 'copied' : 'failed'))}
          >
            {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
          </button>
          <button ref={cancel} type="button" className="btn" onClick={onClose} data-testid="link-confirm-cancel">
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
