import { Fragment } from 'react';
import type { Task } from '../../../shared/index.js';
import type { TaskView } from '../store/task-view.js';
import { TimelineRow } from './TimelineRow.js';

/** Every event of the task, grouped by attempt, times relative to when it was created. */
export function Timeline({ task, view }: { task: Task; view: TaskView }) {
  const entries = view.timeline.entries;
  const start = task.createdAt;
  const several = view.attempts.length > 1;
  return (
    <section className="detail-section">
      <h3>
        Timeline <span className="detail-count">{entries.length > 0 ? `${entries.length} entries · ${view.lastSeq} events` : ''}</span>
      </h3>
      {!view.loaded && entries.length === 0 && <div className="detail-empty">Loading…</div>}
      {view.loaded && entries.length === 0 && <div className="detail-empty">No events yet.</div>}
      <ol className="timeline" data-testid="timeline">
        {entries.map((e, i) => (
          <Fragment key={e.seq}>
            {several && (i === 0 || entries[i - 1].attempt !== e.attempt) && (
              <li className="tl-attempt" data-testid="timeline-attempt">
                Attempt {e.attempt}
              </li>
            )}
            <TimelineRow entry={e} start={start} model={task.model} />
          </Fragment>
        ))}
      </ol>
    </section>
  );
}
