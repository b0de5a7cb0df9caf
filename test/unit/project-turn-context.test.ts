import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContextChoice, Task, TaskEvent, TaskEventDraft, TaskFile } from '../../shared/index.js';
import { ContextReceiptSchema } from '../../shared/index.js';
import { FolderContextIndex } from '../../electron/core/project-folder/index.js';
import { PromptLibrary } from '../../electron/core/pipeline/prompts.js';
import { layoutCall } from '../../electron/core/pipeline/steps/call-layout.js';
import type { PipelineEnv } from '../../electron/core/pipeline/steps/step-env.js';
import { TURN_SYSTEM_PROMPT, accountOf, buildTurnMessages, conversationBlock, emitWithReceipt, fitConversation, prepareTurnContext, renderFileMap, type PrepareTurnInput } from '../../electron/core/projects/context/index.js';

const count = (t: string) => Math.ceil(t.length / 4);

function turn(id: string, over: Partial<Task> = {}): Task {
  return {
    id, kind: 'chat', attempts: 1, maxAttempts: 1, priority: 0, notBefore: null, host: null, metadata: null, status: 'succeeded',
    title: id, prompt: `prompt of ${id}`, model: 'm', numCtx: 8192, workspacePath: '/x', projectId: 'p', createdAt: 1, startedAt: 1,
    finishedAt: 2, error: null, lastSeq: 0, evalTokens: 0, fileCount: 0, ...over,
  } as Task;
}

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-turn-ctx-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string, content: string, mtimeMs?: number): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  if (mtimeMs !== undefined) fs.utimesSync(abs, mtimeMs / 1000, mtimeMs / 1000);
}

/** Retrieval over a real FolderContextIndex, recording what it was asked. */
function retrieval() {
  const index = new FolderContextIndex(root);
  const asked: Array<{ budget: number; choice?: ContextChoice }> = [];
  const refreshed: string[][] = [];
  return {
    asked,
    refreshed,
    refreshIndex: async (_root: string, batch: { created: string[]; updated: string[]; deleted: string[] }) => {
      refreshed.push(batch.updated);
      await index.apply(batch);
    },
    context: async (_root: string, prompt: string, budget: number, c: (s: string) => number, choice?: ContextChoice) => {
      asked.push({ budget, choice });
      const s = await index.select(prompt, budget, c, choice);
      return { files: s.files.map((f) => ({ ...f, pinned: false })), totalTokens: s.totalTokens, budgetTokens: s.budgetTokens, candidates: index.candidates };
    },
  };
}

function input(over: Partial<PrepareTurnInput> & { turnFiles?: Record<string, TaskFile[]> }): PrepareTurnInput {
  const { turnFiles, ...rest } = over;
  const files = turnFiles ?? {};
  return {
    task: turn('now', { prompt: 'add a --version flag', createdAt: 10 }),
    project: { id: 'p', root },
    turns: [],
    store: { listFiles: (id) => files[id] ?? [] },
    folders: retrieval(),
    count,
    budgetTokens: 4000,
    ...rest,
  };
}

const written = (p: string): TaskFile => ({ path: p, state: 'written', size: 1, sha256: null });

describe('the conversation so far', () => {
  const accounts = [1, 2, 3, 4].map((n) => accountOf(n, { task: turn(`t${n}`, { prompt: `${'word '.repeat(n * 20)}turn ${n}` }), files: [written(`f${n}.py`)] }));

  it('keeps the newest turns and trims the oldest first, as one contiguous run', () => {
    const all = fitConversation(accounts, 10_000, count);
    expect(all.kept.map((t) => t.number)).toEqual([1, 2, 3, 4]);
    const budget = all.kept[3].tokens + all.kept[2].tokens + all.kept[0].tokens; // room for 4, 3 and (by size) 1, but not 2
    const fitted = fitConversation(accounts, budget, count);
    expect(fitted.kept.map((t) => t.number)).toEqual([3, 4]);
    expect(fitted.leftOut.map((t) => t.taskId)).toEqual(['t1', 't2']);
    expect(fitted.tokens).toBeLessThanOrEqual(budget);
  });

  it('accounts for what a turn did, not its answer, and says when its files were deleted since', () => {
    const a = accountOf(2, { task: turn('t2', { status: 'failed', error: { code: 'INTERNAL', message: 'tests failed' } }), files: [written('a.py'), written('b.py')], exists: (p) => p === 'a.py' });
    expect(a.account).toContain('wrote a.py');
    expect(a.account).toContain('Since deleted: b.py');
    expect(a.account).toContain('It failed: tests failed');
  });

  it('remembers a turn that changed no files by the start of its answer, never the whole answer', async () => {
    write('a.py', 'x = 1\n', 1000);
    const long = `Because the parser   reads\nline by line. ${'More detail. '.repeat(100)}`;
    const events = [{ taskId: 't1', seq: 2, ts: 1, type: 'delta', data: { text: long } }] as TaskEvent[];
    const ctx = await prepareTurnContext(input({ turns: [turn('t1'), turn('now', { createdAt: 10 })], store: { listFiles: () => [], listEvents: () => events } }));
    expect(ctx.history[1].content).toContain('It answered: "Because the parser reads line by line.');
    expect(ctx.history[1].content.length).toBeLessThan(600);
    const wrote = accountOf(1, { task: turn('t1'), files: [written('a.py')], answerStart: 'SECRET-PROSE' });
    expect(wrote.account).not.toContain('SECRET-PROSE'); // a turn that wrote files is told by its files
  });

  it('lays out a chat turn as system, files, earlier turns, then the new prompt', () => {
    const msgs = buildTurnMessages('SYS', { files: [{ path: 'a.py', content: 'x = 1\n' }], map: '', turns: accounts.slice(0, 2) }, 'NEW');
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(msgs[1].content).toContain('File: a.py');
    expect(msgs[3].content).toContain('turn 1');
    expect(msgs.at(-1)!.content).toBe('NEW');
    expect(TURN_SYSTEM_PROMPT).toContain('the conversation so far');
    expect(TURN_SYSTEM_PROMPT).toContain('SEARCH/REPLACE');
  });
});

describe('the map of the rest', () => {
  it('names files by folder and counts what it had no room for', () => {
    const paths = Array.from({ length: 300 }, (_, i) => `dir${i % 30}/file${i}.ts`);
    const full = renderFileMap(paths, 100_000, count);
    expect(full.mapped).toBe(300);
    expect(full.text).toContain('dir3/: ');
    const small = renderFileMap(paths, 200, count);
    expect(small.mapped).toBeGreaterThan(0);
    expect(small.mapped).toBeLessThan(300);
    expect(small.text).toMatch(/… and \d+ more files in \d+ folders\./);
    expect(small.tokens).toBeLessThanOrEqual(200);
  });
});

describe('prepareTurnContext', () => {
  it('is fresh for the first turn of an empty project (the turn runs as a new task does)', async () => {
    const ctx = await prepareTurnContext(input({}));
    expect(ctx.fresh).toBe(true);
    expect(ctx.history).toEqual([]);
    expect(ctx.contextFiles).toEqual([]);
  });

  it('sends every file when all fit, read from disk as they are now (a hand edit included)', async () => {
    write('a.py', 'print("a")\n', 1000);
    write('b.py', 'print("b")\n', 2000);
    const t1 = turn('t1', { finishedAt: 1500, createdAt: 1 });
    write('a.py', 'print("edited by hand")\n', 3000);
    const ctx = await prepareTurnContext(input({ turns: [t1, turn('now', { createdAt: 10 })], turnFiles: { t1: [written('a.py')] } }));
    expect(ctx.fresh).toBe(false);
    expect(ctx.contextFiles.map((f) => f.path)).toEqual(['b.py', 'a.py']); // longest unchanged first
    expect(ctx.contextFiles[1].content).toContain('edited by hand');
    expect(ctx.map).toBe('');
    expect(ctx.history[0]).toEqual({ role: 'user', content: 'prompt of t1' });
    expect(ctx.conversation).toContain('prompt of t1');
    expect(ContextReceiptSchema.parse(ctx.receipt).files.map((f) => f.reason)).toEqual(['every file fits', 'every file fits']);
    expect(ctx.receipt.turns).toEqual([{ taskId: 't1', tokens: expect.any(Number) as number }]);
  });

  it('fills a tight budget in order: pinned, hand edits, recent turns, retrieval; maps the rest', async () => {
    const filler = (tag: string) => `# ${tag}\n${'x = 1\n'.repeat(120)}`; // ~190 tokens each
    for (let i = 0; i < 30; i++) write(`lib/m${i}.py`, filler(`module ${i}`), 1000);
    write('pinned.py', filler('pinned'), 1000);
    write('cli.py', `${filler('cli')}def version_flag(): pass\n`, 1000);
    write('turn2.py', filler('written by turn 2'), 1400);
    write('hand.py', filler('edited by hand'), 5000);
    const t1 = turn('t1', { createdAt: 1, finishedAt: 1200 });
    const t2 = turn('t2', { createdAt: 2, startedAt: 1300, finishedAt: 1500 });
    const folders = retrieval();
    const ctx = await prepareTurnContext(
      input({
        task: turn('now', { prompt: 'add a version flag to cli.py', createdAt: 10 }),
        turns: [t1, t2],
        turnFiles: { t2: [written('turn2.py')] },
        choice: { pinned: ['pinned.py'], excluded: ['lib/m0.py'] },
        budgetTokens: 1400,
        folders,
      }),
    );
    const reasons = ctx.receipt.files.map((f) => [f.path, f.reason.split(':')[0]]);
    expect(Object.fromEntries(reasons)).toMatchObject({ 'pinned.py': 'pinned', 'hand.py': 'changed since the last turn (by hand or a restore)', 'turn2.py': 'changed by turn 2' });
    expect(ctx.contextFiles.map((f) => f.path)).toContain('cli.py'); // retrieval's pick, within what was left
    // The last turn's writes are re-read into the index before it ranks, the hand edits after (for the next turn).
    expect(folders.refreshed).toEqual([['turn2.py'], ['hand.py']]);
    // Retrieval never ranks what the user excluded; what it picks that was taken already is not sent twice.
    expect(folders.asked[0].choice?.excluded).toEqual(['lib/m0.py']);
    expect(new Set(ctx.contextFiles.map((f) => f.path)).size).toBe(ctx.contextFiles.length);
    expect(ctx.contextFiles.map((f) => f.path)).not.toContain('lib/m0.py');
    expect(ctx.map).not.toContain('m0.py');
    expect(ctx.receipt.mapped).toBeGreaterThan(0);
    expect(ctx.map).toContain('lib/: ');
    expect(ctx.receipt.estimatedTokens).toBeLessThanOrEqual(1400);

    // Room for two files only: the pinned one and the hand edit go first, the turn's file is left out (and said so).
    const tight = await prepareTurnContext(
      input({ task: turn('now', { prompt: 'add a version flag to cli.py', createdAt: 10 }), turns: [t1, t2], turnFiles: { t2: [written('turn2.py')] }, choice: { pinned: ['pinned.py'] }, budgetTokens: 700 }),
    );
    expect(tight.contextFiles.map((f) => f.path).sort()).toEqual(['hand.py', 'pinned.py']);
    expect(tight.receipt.leftOut.map((l) => l.ref)).toContain('turn2.py');
    expect(tight.map).toContain('turn2.py');
  });

  it('leaves out what does not fit and says so in the receipt', async () => {
    write('big.py', 'y = 2\n'.repeat(2000), 1000);
    write('small.py', 'z = 3\n', 1000);
    const ctx = await prepareTurnContext(input({ choice: { pinned: ['big.py'] }, budgetTokens: 600, turns: [turn('t1'), turn('now', { createdAt: 10 })] }));
    expect(ctx.receipt.leftOut).toContainEqual({ kind: 'file', ref: 'big.py', tokens: expect.any(Number) as number });
    expect(ctx.contextFiles.map((f) => f.path)).not.toContain('big.py');
  });
});

describe('the receipt', () => {
  it('goes out first, then once more with the model\'s own prompt count after the first usage', () => {
    const seen: TaskEventDraft[] = [];
    const receipt = { files: [], turns: [], leftOut: [], mapped: 0, budgetTokens: 100, estimatedTokens: 10, promptEvalCount: null };
    const emit = emitWithReceipt((d) => seen.push(d), receipt);
    const usage = (n: number): TaskEventDraft => ({ type: 'usage', data: { promptTokens: n, evalTokens: 1, evalDurationMs: 1, totalDurationMs: 1, doneReason: 'stop' } });
    emit({ type: 'log', data: { level: 'info', message: 'hi' } });
    emit(usage(321));
    emit(usage(999));
    expect(seen.map((d) => d.type)).toEqual(['receipt', 'log', 'usage', 'receipt', 'usage']);
    expect(seen[0].type === 'receipt' && seen[0].data.promptEvalCount).toBe(null);
    expect(seen[3].type === 'receipt' && seen[3].data.promptEvalCount).toBe(321);
  });
});

describe('build prompts of a later turn', () => {
  const prompts = new PromptLibrary(fileURLToPath(new URL('../../resources/prompts', import.meta.url)));
  const envOf = (conversation: string, goal = 'GOAL-NOW') => ({ task: turn('now', { prompt: goal }), prompts, conversation }) as unknown as PipelineEnv;

  it('lay out files, then the conversation, then the goal and the step instruction; a first turn as before', () => {
    const later = layoutCall(envOf('CONVERSATION-BLOCK'), { plan: null, files: 'FILES-BLOCK', instruction: 'INSTRUCTION' })[1].content;
    const at = (s: string) => later.indexOf(s);
    expect(at('FILES-BLOCK')).toBeGreaterThanOrEqual(0);
    expect(at('FILES-BLOCK')).toBeLessThan(at('CONVERSATION-BLOCK'));
    expect(at('CONVERSATION-BLOCK')).toBeLessThan(at('GOAL-NOW'));
    expect(at('GOAL-NOW')).toBeLessThan(at('INSTRUCTION'));
    const first = layoutCall(envOf(''), { plan: null, files: 'FILES-BLOCK', instruction: 'INSTRUCTION' })[1].content;
    expect(first.indexOf('GOAL-NOW')).toBeLessThan(first.indexOf('FILES-BLOCK')); // today's layout, unchanged
    expect(first).not.toContain('conversation');
  });

  it('a later turn shares its prefix with the turn before up to its newest file', () => {
    const turns = [1, 2].map((n) => accountOf(n, { task: turn(`t${n}`), files: [written(`f${n}.py`)] }));
    const a = layoutCall(envOf(conversationBlock(turns.slice(0, 1)), 'GOAL-OF-TURN-2'), { plan: null, files: 'OLD-FILE\n\nCHANGED-1', instruction: 'I' })[1].content;
    const b = layoutCall(envOf(conversationBlock(turns), 'GOAL-OF-TURN-3'), { plan: null, files: 'OLD-FILE\n\nCHANGED-2', instruction: 'I' })[1].content;
    let shared = 0;
    while (a[shared] === b[shared]) shared++;
    expect(a.slice(0, shared)).toContain('OLD-FILE');
  });
});

describe('a build turn', () => {
  it('prepares the conversation only: the build reads the files itself, and the receipt names them', async () => {
    write('a.py', 'x = 1\n', 1000);
    const folders = retrieval();
    const ctx = await prepareTurnContext(input({ files: 'pipeline', turns: [turn('t1'), turn('now', { createdAt: 10 })], folders }));
    expect(ctx.fresh).toBe(false);
    expect(ctx.contextFiles).toEqual([]);
    expect(folders.asked).toEqual([]); // no retrieval: each step fits the files to its own model
    expect(ctx.conversation).toContain('prompt of t1');
    expect(ctx.receipt.files.map((f) => f.path)).toEqual(['a.py']);
  });
});

describe('stable prefixes across chat turns', () => {
  it('a file turn after turn works on moves after the others, so the next request shares the prefix up to it', async () => {
    write('a.py', 'A = 1\n', 1000);
    write('b.py', 'B = 2\n', 2000); // turn 2 wrote it
    write('c.py', 'C = 3\n', 1000);
    const t1 = turn('t1', { createdAt: 1, startedAt: 900, finishedAt: 1200 });
    const t2 = turn('t2', { createdAt: 2, prompt: 'turn two', startedAt: 1900, finishedAt: 2500 });
    const t3 = turn('t3', { createdAt: 3, prompt: 'turn three', startedAt: 2900, finishedAt: 3500 });
    const t4 = turn('t4', { createdAt: 4, prompt: 'turn four' });
    const turnFiles = { t2: [written('b.py')], t3: [written('b.py')] };
    const messagesOf = async (task: Task, turns: Task[]) => {
      const ctx = await prepareTurnContext(input({ task, turns, turnFiles }));
      return buildTurnMessages(TURN_SYSTEM_PROMPT, { files: ctx.contextFiles, map: ctx.map, turns: ctx.turns }, task.prompt)
        .map((m) => `<${m.role}>${m.content}`)
        .join('');
    };
    const third = await messagesOf(t3, [t1, t2, t3]);
    write('b.py', 'B = 22\n', 3000); // what turn 3 wrote
    const fourth = await messagesOf(t4, [t1, t2, t3, t4]);
    let shared = 0;
    while (third[shared] === fourth[shared]) shared++;
    // The files no turn touched come first and stay cached (in path order b.py would sit between them).
    expect(third.slice(0, shared)).toContain('A = 1');
    expect(third.slice(0, shared)).toContain('C = 3');
    expect(fourth.indexOf('turn three')).toBeGreaterThan(fourth.indexOf('B = 22')); // the conversation grows after the files
  });
});
