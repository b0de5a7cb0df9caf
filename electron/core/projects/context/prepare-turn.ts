import type { ContextChoice, ContextReceipt, ContextSelection, Project, StepRecord, Task, TaskEvent, TaskFile } from '../../../../shared/index.js';
import type { ChatMessage } from '../../llm/index.js';
import { accountOf, fitConversation, PER_MESSAGE_TOKENS, type TurnAccount } from './conversation.js';
import { listProjectFiles, readText, type DiskFile } from './disk.js';
import { FileBudget } from './file-budget.js';
import { renderFileMap } from './file-map.js';
import { capLeftOut } from './receipt.js';
import { TURN_SYSTEM_PROMPT, conversationBlock, historyMessages } from './turn-messages.js';

/** Share of the budget the conversation may take at most; the files get the rest (and what it leaves). */
const CONVERSATION_SHARE = 0.25;
/** Share of the files' budget kept for the map of the files not shown. */
const MAP_SHARE = 0.1;
/** Files of this many of the latest turns count as "touched recently". */
const RECENT_TURNS = 3;
/** A sendable file is guessed at this many bytes per token before it is read (conservative: code runs ~3.5–4). */
const BYTES_PER_TOKEN_GUESS = 3;
/** No tokenizer packs more bytes than this into a token: a file larger than remaining × this cannot fit, unread. */
const MAX_BYTES_PER_TOKEN = 8;
const READ_BATCH = 16;
/** Files in a row that did not fit: the budget is spent, the rest of the group is left out unread. */
const MAX_MISSES = 32;
/**
 * More files than this changed since the last turn is not hand editing (a branch switch, a
 * formatter, a generator): the newest are offered as hand edits, the rest go to retrieval.
 */
const MAX_HAND_EDITS = 100;
/** The files message and its acknowledgement (turn-messages.ts). */
const FILES_MESSAGES_TOKENS = 2 * PER_MESSAGE_TOKENS + 16;

export interface PrepareTurnInput {
  /** The turn about to run. */
  task: Task;
  project: Pick<Project, 'id' | 'root'>;
  /** The project's turns, oldest first (TaskStore.listProjectTasks); this turn and later ones are ignored. */
  turns: readonly Task[];
  /** task_files rows; and the first events of a turn that wrote no files (the start of its answer). */
  store: { listFiles(taskId: string): TaskFile[]; listEvents?(taskId: string, sinceSeq?: number, limit?: number): TaskEvent[] };
  /** A build turn's steps (the review's summary goes into its account); optional. */
  steps?: { list(taskId: string): StepRecord[] };
  /** Retrieval over the project's folder (FolderService.context: its index is kept, not rebuilt per turn). */
  folders: {
    context(root: string, prompt: string, budgetTokens: number, count: (s: string) => number, choice?: ContextChoice, scope?: { include?: string[]; exclude?: string[] }): Promise<ContextSelection>;
    /** Re-read changed files into the index (FolderService.refreshIndex): an unwatched folder's index stays current. */
    refreshIndex?(root: string, batch: { created: string[]; updated: string[]; deleted: string[] }): Promise<void>;
  };
  /** Tokens of a text for the turn's model. */
  count: (text: string) => number;
  /** Tokens the files, the map and the conversation may take together (the window minus system prompt, prompt and answer). */
  budgetTokens: number;
  /** The composer's pinned and excluded files. */
  choice?: ContextChoice;
  /** TaskV1.1 repo.include / repo.exclude. */
  scope?: { include?: string[]; exclude?: string[] };
  /**
   * 'turn' (a chat turn): choose the files here. 'pipeline' (a build turn): each step reads and
   * fits the project's files itself (pipeline/steps/project-files.ts, context-files.ts), so only
   * the conversation is prepared and the receipt names the files the build reads.
   */
  files?: 'turn' | 'pipeline';
}

export interface TurnContext {
  /** The first turn of an empty project: nothing to show, the turn runs exactly as a new task does. */
  fresh: boolean;
  /** The files sent, in the order shown (longest unchanged first, then by path: a stable prefix). */
  contextFiles: Array<{ path: string; content: string }>;
  /** The map of the files not shown ('' when none). */
  map: string;
  /** Earlier turns kept, oldest first. */
  turns: TurnAccount[];
  /** The earlier turns as chat messages (a chat turn puts them after the files, before its prompt). */
  history: ChatMessage[];
  /** The earlier turns as one block (a build's prompts put it after the files, before the step's instruction). */
  conversation: string;
  receipt: ContextReceipt;
  /** The same choice in the shape of today's 'context' event (the composer's context chips). */
  selection: ContextSelection;
}

function earlierOf(task: Task, turns: readonly Task[]): Task[] {
  const at = turns.findIndex((t) => t.id === task.id);
  return at >= 0 ? turns.slice(0, at) : turns.filter((t) => t.createdAt <= task.createdAt && t.id !== task.id);
}

/** Events read for the start of an answer: coalesced deltas, so a few rows hold hundreds of characters. */
const ANSWER_START_EVENTS = 40;

function answerStart(store: PrepareTurnInput['store'], taskId: string): string | undefined {
  const events = store.listEvents?.(taskId, 0, ANSWER_START_EVENTS) ?? [];
  const text = events.map((e) => (e.type === 'delta' && !e.data.step ? e.data.text : '')).join('');
  return text || undefined;
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * What a project turn sends the model: the project as it is on disk now and the conversation
 * so far, within a real budget. Files: pinned, then touched recently (edited by hand since the
 * last turn, then written by the latest turns), then what retrieval picks; every file when all
 * fit; a map of the rest by name. The conversation: earlier prompts and short accounts, trimmed
 * oldest first. Files are read from disk (a hand edit made between turns is seen); only the
 * listing and change times are taken from every file, and ranking reuses the folder's index.
 */
export async function prepareTurnContext(input: PrepareTurnInput): Promise<TurnContext> {
  const { task, project, count } = input;
  const root = project.root;
  const budget = Math.max(0, Math.floor(input.budgetTokens));
  const earlier = earlierOf(task, input.turns);
  const lastTurn = earlier.at(-1);
  const lastFiles = lastTurn ? input.store.listFiles(lastTurn.id).map((f) => f.path) : [];
  // Retrieval ranks while the folder is listed: it needs neither the listing nor the budget's split
  // (what it picks is offered last, within what is left). The last turn's writes are re-read into
  // the index first, so a folder nobody watches (CLI, REST) is ranked as that turn left it.
  const ranking =
    input.files === 'pipeline'
      ? null
      : (async () => {
          if (lastFiles.length) await input.folders.refreshIndex?.(root, { created: [], updated: lastFiles, deleted: [] }).catch(() => undefined);
          return input.folders.context(root, task.prompt, budget, count, { excluded: input.choice?.excluded ?? [] }, input.scope).catch(() => null);
        })();
  // A build reads and orders the files itself: it needs only the listing here, not each file's time.
  const disk = await listProjectFiles(root, input.scope, input.files !== 'pipeline').catch((): DiskFile[] => []);
  if (earlier.length === 0 && disk.length === 0) return freshTurn(budget);

  const onDisk = new Map(disk.map((f) => [f.path, f]));
  const excluded = new Set(input.choice?.excluded ?? []);
  const numberOf = new Map(input.turns.map((t, i) => [t.id, i + 1]));

  // The conversation first, within its share: what it leaves goes to the files.
  const filesOf = new Map(earlier.map((t) => [t.id, input.store.listFiles(t.id)]));
  const accounts = earlier.map((t) => {
    const files = filesOf.get(t.id) ?? [];
    return accountOf(numberOf.get(t.id) ?? 0, {
      task: t,
      files,
      steps: t.kind === 'build' ? input.steps?.list(t.id) : undefined,
      exists: (p) => onDisk.has(p),
      answerStart: files.length === 0 ? answerStart(input.store, t.id) : undefined,
    });
  });
  const conversation = fitConversation(accounts, Math.floor(budget * CONVERSATION_SHARE), count);
  const filesBudget = Math.max(0, budget - conversation.tokens - FILES_MESSAGES_TOKENS);

  const candidates = disk.filter((f) => !excluded.has(f.path));
  if (input.files === 'pipeline') return pipelineTurn(budget, candidates, conversation);
  const sendable = candidates.filter((f) => f.sendable);
  const guess = sendable.reduce((n, f) => n + Math.ceil(f.size / BYTES_PER_TOKEN_GUESS), 0);
  const allMayFit = sendable.length === candidates.length && guess <= filesBudget;
  const mapReserve = allMayFit ? 0 : Math.floor(filesBudget * MAP_SHARE);
  const files = new FileBudget(filesBudget - mapReserve, count);

  /**
   * Offer files in order, reading them in small batches only while they may fit: a branch
   * switch that touched thousands of files costs reads for what is sent, not for all of them.
   */
  const offerAll = async (paths: readonly string[], reason: (p: string) => string) => {
    const wanted = paths.filter((p) => !files.has(p) && !excluded.has(p) && onDisk.get(p)?.sendable);
    let misses = 0;
    for (let i = 0; i < wanted.length; i += READ_BATCH) {
      const batch = wanted.slice(i, i + READ_BATCH).filter((p) => {
        const size = onDisk.get(p)?.size ?? 0;
        // Once the budget is nearly spent, the rest of the group is not read at all.
        if (misses < MAX_MISSES && Math.floor(size / MAX_BYTES_PER_TOKEN) <= files.remaining) return true;
        files.skip(p, Math.ceil(size / BYTES_PER_TOKEN_GUESS), reason(p));
        return false;
      });
      const texts = await Promise.all(batch.map((p) => readText(root, p)));
      batch.forEach((p, j) => {
        const text = texts[j];
        if (text !== null) misses = files.offer(p, text, reason(p)) ? 0 : misses + 1;
      });
    }
  };

  if (allMayFit) {
    await offerAll(
      sendable.map((f) => f.path),
      () => 'every file fits',
    );
  } else {
    await offerAll(input.choice?.pinned ?? [], () => 'pinned');
    // Edited by hand since the last turn ended: newest first.
    const lastEnd = lastTurn?.finishedAt ?? lastTurn?.startedAt ?? null;
    if (lastEnd !== null) {
      const handEdited = candidates.filter((f) => f.changedAt > lastEnd).sort((a, b) => b.changedAt - a.changedAt).slice(0, MAX_HAND_EDITS);
      await offerAll(
        handEdited.map((f) => f.path),
        () => 'changed since the last turn (by hand or a restore)',
      );
      // The index learns them too, in the background: the next turn ranks them as they are now.
      const paths = handEdited.map((f) => f.path);
      if (paths.length) void input.folders.refreshIndex?.(root, { created: [], updated: paths, deleted: [] }).catch(() => undefined);
    }
    for (const t of earlier.slice(-RECENT_TURNS).reverse()) {
      const n = numberOf.get(t.id) ?? 0;
      await offerAll(
        (filesOf.get(t.id) ?? []).map((f) => f.path),
        () => `changed by turn ${n}`,
      );
    }
    if (files.remaining > 0) {
      const picked = await ranking;
      const reasons = new Map((picked?.files ?? []).map((f) => [f.path, f.reason]));
      await offerAll([...reasons.keys()], (p) => reasons.get(p) ?? 'retrieval');
    }
  }

  // Shown in a stable order: the longest unchanged first, so what a turn changes moves to the end.
  const shown = files.sent.slice().sort((a, b) => (onDisk.get(a.path)?.changedAt ?? 0) - (onDisk.get(b.path)?.changedAt ?? 0) || byPath(a, b));
  const sentPaths = new Set(shown.map((f) => f.path));
  const rest = candidates.filter((f) => !sentPaths.has(f.path)).map((f) => f.path);
  const map = renderFileMap(rest, mapReserve + files.remaining, count);

  const pinned = new Set(input.choice?.pinned ?? []);
  const receipt: ContextReceipt = {
    files: shown.map((f) => ({ path: f.path, tokens: f.tokens, reason: f.reason })),
    turns: conversation.kept.map((t) => ({ taskId: t.taskId, tokens: t.tokens })),
    leftOut: capLeftOut([
      ...files.leftOut.map((f) => ({ kind: 'file' as const, ref: f.path, tokens: f.tokens })),
      ...conversation.leftOut.map((t) => ({ kind: 'turn' as const, ref: t.taskId, tokens: t.tokens })),
    ]),
    mapped: map.mapped,
    budgetTokens: budget,
    // The whole request as the chat turn lays it out (turn-messages.ts), to set beside the model's own count.
    estimatedTokens:
      count(TURN_SYSTEM_PROMPT) + count(task.prompt) + 2 * PER_MESSAGE_TOKENS + files.tokens + map.tokens + conversation.tokens + (shown.length || map.text ? FILES_MESSAGES_TOKENS : 0),
    promptEvalCount: null,
  };
  return {
    fresh: false,
    contextFiles: shown.map((f) => ({ path: f.path, content: f.content })),
    map: map.text,
    turns: conversation.kept,
    history: historyMessages(conversation.kept),
    conversation: conversationBlock(conversation.kept),
    receipt,
    selection: {
      files: shown.map((f) => ({ path: f.path, tokens: f.tokens, reason: f.reason, pinned: pinned.has(f.path) })),
      totalTokens: files.tokens,
      budgetTokens: budget,
      candidates: candidates.length,
    },
  };
}

/** Files a build reads at most (pipeline/steps/project-files.ts MAX_PROJECT_FILES). */
const BUILD_READS_AT_MOST = 400;

/** A build turn: the conversation here; the files are the build's (each step fits what its model can take). */
function pipelineTurn(budget: number, candidates: readonly DiskFile[], conversation: ReturnType<typeof fitConversation>): TurnContext {
  const read = candidates.filter((f) => f.sendable).slice(0, BUILD_READS_AT_MOST);
  const files = read.map((f) => ({ path: f.path, tokens: Math.ceil(f.size / 4), reason: 'read by the build (each step keeps what fits its model)' }));
  const fileTokens = files.reduce((n, f) => n + f.tokens, 0);
  return {
    fresh: false,
    contextFiles: [],
    map: '',
    turns: conversation.kept,
    history: historyMessages(conversation.kept),
    conversation: conversationBlock(conversation.kept),
    receipt: {
      files,
      turns: conversation.kept.map((t) => ({ taskId: t.taskId, tokens: t.tokens })),
      leftOut: capLeftOut(conversation.leftOut.map((t) => ({ kind: 'turn' as const, ref: t.taskId, tokens: t.tokens }))),
      mapped: 0,
      budgetTokens: budget,
      estimatedTokens: fileTokens + conversation.tokens,
      promptEvalCount: null,
    },
    selection: { files: files.map((f) => ({ ...f, pinned: false })), totalTokens: fileTokens, budgetTokens: budget, candidates: candidates.length },
  };
}

function freshTurn(budget: number): TurnContext {
  return {
    fresh: true,
    contextFiles: [],
    map: '',
    turns: [],
    history: [],
    conversation: '',
    receipt: { files: [], turns: [], leftOut: [], mapped: 0, budgetTokens: budget, estimatedTokens: 0, promptEvalCount: null },
    selection: { files: [], totalTokens: 0, budgetTokens: budget, candidates: 0 },
  };
}
