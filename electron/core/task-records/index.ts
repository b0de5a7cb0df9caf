// Public face of the task records the earlier MACS designs promised their clients: an append-only
// events.jsonl per task and reports.jsonl per data dir, result.json/result.md and manifest.json
// when a task ends, and a zip kept per task under zips/.
export { TaskJournal, milestoneOf, EVENTS_FILE, REPORTS_FILE, type ReportKind } from './journal.js';
export { writeTaskResult, RESULT_JSON, RESULT_MD, type TaskResultSources } from './task-result.js';
export { KeptZips, taskIdOfZipName, type KeptZip } from './kept-zips.js';
