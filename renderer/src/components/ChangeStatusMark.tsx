import type { FileChange } from '../../../shared/index.js';

const LETTER: Record<FileChange['status'], string> = { added: 'A', modified: 'M', deleted: 'D', unchanged: '·' };
const TITLE: Record<FileChange['status'], string> = {
  added: 'Added by the task',
  modified: 'Modified by the task',
  deleted: 'Deleted by the task',
  unchanged: 'Back as it was (reverted)',
};

/** A / M / D in the change's color, like a source-control view. */
export function ChangeStatusMark({ status }: { status: FileChange['status'] }) {
  return (
    <span className={`change-mark change-${status}`} title={TITLE[status]} data-status={status}>
      {LETTER[status]}
    </span>
  );
}
