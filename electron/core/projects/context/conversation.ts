import type { StepRecord, Task, TaskFile } from '../../../../shared/index.js';

/** An earlier prompt longer than this is shown cut: a pasted log should not crowd out the files. */
const MAX_PROMPT_CHARS = 2000;
/** Paths named per turn in its account; the rest is a count. */
const MAX_PATHS_PER_TURN = 12;
/** A turn that changed no files (a question answered) is remembered by the start of its answer, this long at most. */
const MAX_ANSWER_START_CHARS = 300;
/** Chat-template tokens around each message (role markers), as the pipeline's budget counts them. */
export const PER_MESSAGE_TOKENS = 8;

/** What the conversation keeps of one earlier turn: its prompt and a short account of what it did. */
export interface TurnAccount {
  taskId: string;
  /** 1, 2, 3 … among the project's turns. */
  number: number;
  prompt: string;
  /** One or two sentences: the files it wrote, its outcome, a build's review summary. */
  account: string;
}

/** The stored facts a turn's account is made from (its task row, its task_files rows, its build steps). */
export interface TurnFacts {
  task: Task;
  files: readonly TaskFile[];
  steps?: readonly StepRecord[];
  /** The path is on disk now (a file a later turn or the user deleted says so). */
  exists?: (path: string) => boolean;
  /** The first words of its answer (only asked for a turn that wrote no files). */
  answerStart?: string;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (cut: ${text.length - max} more characters)`;
}

function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, MAX_PATHS_PER_TURN).join(', ');
  return paths.length > MAX_PATHS_PER_TURN ? `${shown} and ${paths.length - MAX_PATHS_PER_TURN} more` : shown;
}

function outcomeOf(task: Task): string {
  switch (task.status) {
    case 'succeeded':
      return task.error ? `It finished with a warning: ${task.error.message}` : 'It succeeded.';
    case 'failed':
      return `It failed: ${task.error?.message ?? 'no reason recorded'}`;
    case 'cancelled':
      return 'It was stopped before it finished.';
    default:
      return `It is ${task.status}.`;
  }
}

/**
 * A turn's account, never its answer text: the answer is long and the files it wrote are
 * shown as they are now anyway; what the next turn needs is what happened.
 */
export function accountOf(number: number, facts: TurnFacts): TurnAccount {
  const { task } = facts;
  const written = facts.files.filter((f) => f.state !== 'streaming').map((f) => f.path);
  const gone = facts.exists ? written.filter((p) => !facts.exists!(p)) : [];
  const kept = written.filter((p) => !gone.includes(p));
  const parts: string[] = [];
  parts.push(kept.length ? `Turn ${number} (${task.kind}) wrote ${listPaths(kept)}.` : `Turn ${number} (${task.kind}) changed no files.`);
  if (gone.length) parts.push(`Since deleted: ${listPaths(gone)}.`);
  const cut = facts.files.filter((f) => f.state === 'truncated').map((f) => f.path);
  if (cut.length) parts.push(`Cut off mid-file: ${listPaths(cut)}.`);
  const said = facts.answerStart?.replace(/\s+/g, ' ').trim();
  if (!written.length && said) parts.push(`It answered: "${clip(said, MAX_ANSWER_START_CHARS)}"`);
  parts.push(outcomeOf(task));
  const review = facts.steps?.filter((s) => s.step === 'review' && s.status !== 'running' && s.summary).at(-1);
  if (review) parts.push(`Review: ${clip(review.summary, 400)}.`);
  return { taskId: task.id, number, prompt: clip(task.prompt, MAX_PROMPT_CHARS), account: parts.join(' ') };
}

export interface FittedConversation {
  /** Oldest first: the newest turns that fit, as a contiguous run ending at the last turn. */
  kept: Array<TurnAccount & { tokens: number }>;
  /** Oldest first: the turns trimmed for lack of room. */
  leftOut: Array<{ taskId: string; tokens: number }>;
  tokens: number;
}

/** Tokens one turn costs in the prompt: its prompt and its account, each a message. */
function turnTokens(turn: TurnAccount, count: (text: string) => number): number {
  return count(turn.prompt) + count(turn.account) + 2 * PER_MESSAGE_TOKENS;
}

/**
 * The conversation within `budget` tokens, trimmed oldest first: the newest turns are the
 * ones the next prompt most likely refers to ("now add a flag to that"). A turn that does not
 * fit ends the run: a gap in the middle of a conversation would misread as continuity.
 */
export function fitConversation(turns: readonly TurnAccount[], budget: number, count: (text: string) => number): FittedConversation {
  const sized = turns.map((t) => ({ ...t, tokens: turnTokens(t, count) }));
  let used = 0;
  let start = sized.length;
  while (start > 0 && used + sized[start - 1].tokens <= budget) {
    start -= 1;
    used += sized[start].tokens;
  }
  return {
    kept: sized.slice(start),
    leftOut: sized.slice(0, start).map((t) => ({ taskId: t.taskId, tokens: t.tokens })),
    tokens: used,
  };
}
