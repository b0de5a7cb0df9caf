// A turn's context receipt, collapsed to one line ("Sent 12 files, 3 earlier turns ·
// 5,120 tokens (model counted 5,301) · left out: 4 files"); open: what was sent and left out.
import { useState } from 'react';
import type { ContextReceipt } from '../../../shared/index.js';
import { formatTokens } from '../lib/context-text.js';
import { receiptBudget, receiptLine } from '../lib/project-text.js';
import { ContextFileRow } from './ContextSummary.js';

export function ReceiptSummary({ receipt, turnLabel }: { receipt: ContextReceipt; turnLabel: (taskId: string) => string }) {
  const [open, setOpen] = useState(false);
  const leftFiles = receipt.leftOut.filter((l) => l.kind === 'file');
  const leftTurns = receipt.leftOut.filter((l) => l.kind === 'turn');
  return (
    <div className="ctx-summary receipt" data-testid="turn-receipt">
      <button type="button" className="ctx-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className={`chevron${open ? ' open' : ''}`} aria-hidden="true">›</span>
        <span className="ctx-line" data-testid="turn-receipt-line">
          {receiptLine(receipt)}
        </span>
        <span className="ctx-budget">{receiptBudget(receipt)}</span>
      </button>
      {open && (
        <div className="receipt-body" data-testid="turn-receipt-body">
          <div className="receipt-section">Files sent ({receipt.files.length})</div>
          <ul className="ctx-files">
            {receipt.files.map((f) => (
              <ContextFileRow key={f.path} path={f.path} tokens={f.tokens} reason={f.reason} pinned={f.reason === 'pinned'} />
            ))}
          </ul>
          {receipt.turns.length > 0 && (
            <>
              <div className="receipt-section">Earlier turns sent ({receipt.turns.length})</div>
              <ul className="ctx-files">
                {receipt.turns.map((t) => (
                  <li key={t.taskId} className="ctx-file">
                    <span className="ctx-path">{turnLabel(t.taskId)}</span>
                    <span className="ctx-tokens">{formatTokens(t.tokens)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {receipt.leftOut.length > 0 && (
            <>
              <div className="receipt-section">Left out for lack of room ({receipt.leftOut.length})</div>
              <ul className="ctx-files" data-testid="turn-receipt-left-out">
                {[...leftFiles, ...leftTurns].map((l) => (
                  <li key={`${l.kind}:${l.ref}`} className="ctx-file left-out">
                    <span className="ctx-path" title={l.ref}>
                      {l.kind === 'turn' ? turnLabel(l.ref) : l.ref}
                    </span>
                    <span className="ctx-reason">{l.kind}</span>
                    <span className="ctx-tokens">{formatTokens(l.tokens)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {receipt.mapped > 0 && (
            <div className="receipt-note muted">
              {receipt.mapped.toLocaleString('en-US')} more file{receipt.mapped === 1 ? ' was' : 's were'} named in the map of the project (path only, no content).
            </div>
          )}
        </div>
      )}
    </div>
  );
}
