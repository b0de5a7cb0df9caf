// The renderer's project parts that need no browser: the sidebar's order and search, the
// composer's words (a selected project is continued, never "a new task"), the context
// receipt's line, undone turns from versions, the receipt and version events folded into
// a turn's view, the turn the chat follows, and the error texts of the project codes.
import { describe, expect, it } from 'vitest';
import type { ContextReceipt, Project, ProjectVersion, Task, TaskEvent, TaskEventDraft } from '../../shared/index.js';
import { composerPlaceholder, filterProjects, receiptLine, sortProjects, undoneTurns } from '../../renderer/src/lib/project-text.js';
import { applyEvents, emptyTaskView } from '../../renderer/src/store/task-view.js';
import { pickActiveTurn } from '../../renderer/src/store/projects.js';
import { describeError, shortError } from '../../renderer/src/lib/error-text.js';

const project = (id: string, patch: Partial<Project> = {}): Project => ({
  id,
  name: id,
  kind: 'generated',
  root: `/data/projects/${id}`,
  language: null,
  pinned: false,
  paused: false,
  state: 'READY',
  turnCount: 1,
  lastTaskId: null,
  createdAt: 1,
  updatedAt: 1,
  folderMissing: false,
  ...patch,
});

describe('project list', () => {
  it('pins first, then the most recent activity', () => {
    const list = sortProjects([project('old', { updatedAt: 1 }), project('new', { updatedAt: 9 }), project('pinned', { updatedAt: 0, pinned: true })]);
    expect(list.map((p) => p.id)).toEqual(['pinned', 'new', 'old']);
  });

  it('searches name, folder and language, every word, case-insensitive', () => {
    const list = [project('csv2json', { language: 'Python' }), project('site', { kind: 'folder', root: '/home/me/code/blog', language: 'TypeScript' })];
    expect(filterProjects(list, 'CSV').map((p) => p.id)).toEqual(['csv2json']);
    expect(filterProjects(list, 'blog typescript').map((p) => p.id)).toEqual(['site']);
    expect(filterProjects(list, 'blog python')).toEqual([]);
    expect(filterProjects(list, '   ')).toBe(list);
    // A generated project's own folder (an id under the data dir) is not searched.
    expect(filterProjects([project('p-0042abc', { name: 'todo' })], '0042')).toEqual([]);
  });

  it('filters 1,000 projects in well under a frame', () => {
    const many = Array.from({ length: 1_000 }, (_, i) => project(`p${i}`, { name: `project number ${i}`, updatedAt: i }));
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) filterProjects(sortProjects([...many]), `number ${i}9`);
    expect((performance.now() - t0) / 10).toBeLessThan(16);
  });
});

describe('composer words', () => {
  it('continues the selected project and never says it starts a new task', () => {
    for (const build of [false, true]) {
      const text = composerPlaceholder('csv2json', build);
      expect(text).toContain('Ask for a change in csv2json…');
      expect(text).not.toMatch(/new task|new project/i);
    }
    expect(composerPlaceholder('', false)).toContain('this project');
  });

  it('with no project selected, says a new project starts', () => {
    expect(composerPlaceholder(null, false)).toMatch(/new project/);
    expect(composerPlaceholder(null, true)).toMatch(/new project to build/);
  });
});

const receipt = (patch: Partial<ContextReceipt> = {}): ContextReceipt => ({
  files: Array.from({ length: 12 }, (_, i) => ({ path: `f${i}.py`, tokens: 100, reason: 'recent' })),
  turns: [
    { taskId: 'a', tokens: 50 },
    { taskId: 'b', tokens: 50 },
    { taskId: 'c', tokens: 50 },
  ],
  leftOut: Array.from({ length: 4 }, (_, i) => ({ kind: 'file' as const, ref: `big${i}.py`, tokens: 9_000 })),
  mapped: 0,
  budgetTokens: 8_000,
  estimatedTokens: 5_120,
  promptEvalCount: 5_301,
  ...patch,
});

describe('context receipt line', () => {
  it('says what was sent, the model’s own count and what was left out', () => {
    expect(receiptLine(receipt())).toBe('Sent 12 files, 3 earlier turns · 5,120 tokens (model counted 5,301) · left out: 4 files');
  });

  it('before the model answered, with nothing left out, one file and one turn', () => {
    const r = receipt({ files: [{ path: 'a.py', tokens: 10, reason: 'pinned' }], turns: [{ taskId: 'a', tokens: 5 }], leftOut: [], promptEvalCount: null, estimatedTokens: 15 });
    expect(receiptLine(r)).toBe('Sent 1 file, 1 earlier turn · 15 tokens');
  });

  it('counts left-out turns apart from files, and files only named in the map', () => {
    const r = receipt({ turns: [], leftOut: [{ kind: 'turn', ref: 'a', tokens: 1 }, { kind: 'file', ref: 'x', tokens: 1 }], mapped: 40 });
    expect(receiptLine(r)).toBe('Sent 12 files · 5,120 tokens (model counted 5,301) · left out: 1 file, 1 turn · 40 files named in the map');
  });
});

describe('undone turns', () => {
  const v = (n: number, taskId: string | null, undone: boolean): ProjectVersion => ({
    id: `v${n}`,
    number: n,
    kind: taskId ? 'turn' : 'restore',
    taskId,
    message: 'm',
    createdAt: n,
    filesChanged: 1,
    undone,
    current: false,
  });
  it('are the turns of versions marked undone', () => {
    const set = undoneTurns([v(1, 't1', false), v(2, 't2', true), v(3, 't3', true), v(4, null, false)]);
    expect([...set].sort()).toEqual(['t2', 't3']);
    expect(undoneTurns(null).size).toBe(0);
  });
});

describe('turn view', () => {
  const numbered = (drafts: TaskEventDraft[]): TaskEvent[] => drafts.map((d, i) => ({ ...d, taskId: 't1', seq: i + 1, ts: 1_000 + i }) as TaskEvent);

  it('keeps the latest receipt (re-sent with the model’s count) and the version the turn made', () => {
    const first = receipt({ promptEvalCount: null });
    const { view } = applyEvents(
      emptyTaskView('t1'),
      numbered([
        { type: 'status', data: { status: 'running', attempt: 1 } },
        { type: 'receipt', data: first },
        { type: 'receipt', data: receipt() },
        { type: 'version', data: { versionId: 'c0ffee', number: 3, kind: 'turn', filesChanged: 2 } },
        { type: 'status', data: { status: 'succeeded' } },
      ]),
    );
    expect(view.receipt?.promptEvalCount).toBe(5_301);
    expect(view.version).toEqual({ versionId: 'c0ffee', number: 3, kind: 'turn', filesChanged: 2 });
  });
});

describe('the turn the chat follows', () => {
  const turn = (id: string, status: Task['status']) => ({ id, status }) as Task;
  it('is the running turn, else the newest', () => {
    expect(pickActiveTurn([turn('a', 'succeeded'), turn('b', 'running'), turn('c', 'queued')])?.id).toBe('b');
    expect(pickActiveTurn([turn('a', 'succeeded'), turn('b', 'failed')])?.id).toBe('b');
    expect(pickActiveTurn([])).toBeNull();
  });
});

describe('project error texts', () => {
  it.each([
    ['PROJECT_NOT_FOUND', /no longer exists/],
    ['FOLDER_MISSING', /Locate…/],
    ['FOLDER_NOT_OPENED', /open it first/],
    ['VERSION_NOT_FOUND', /Nothing was changed/],
  ])('%s has its own sentence', (code, re) => {
    expect(describeError({ code, message: 'engine words' }).text).toMatch(re);
    expect(shortError({ code, message: 'engine words' })).not.toBe('engine words');
  });

  it('PROJECT_BUSY shows the engine’s sentence (it says what waits for what)', () => {
    const text = describeError({ code: 'PROJECT_BUSY', message: 'A turn of csv2json is running: restore it when the turn has finished.' });
    expect(text.text).toBe('A turn of csv2json is running: restore it when the turn has finished.');
    expect(text.detail).toBeNull();
  });
});
