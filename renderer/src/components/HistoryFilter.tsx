import { useApp, type HistoryFilter as Filter } from '../store/app-state.js';
import { setHistoryFilter } from '../store/history.js';
import { FILTER_STATUSES, STATUS_LABEL } from '../lib/status.js';

export function HistoryFilter() {
  const filter = useApp((s) => s.historyFilter);
  return (
    <select
      className="history-filter"
      data-testid="history-filter"
      aria-label="Show tasks with status"
      value={filter}
      onChange={(e) => void setHistoryFilter(e.target.value as Filter)}
    >
      <option value="all">All</option>
      {FILTER_STATUSES.map((s) => (
        <option key={s} value={s}>
          {STATUS_LABEL[s]}
        </option>
      ))}
    </select>
  );
}
