// The build pipeline end to end in the engine: the stand-in answers each step as a model
// would, the project's tests really run (node --test in the sandbox), and the result is
// read back from the workspace, the step rows, the artifacts and the zip.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { adder, answer, approve, filesAnswer, planJson, stepOf } from '../fixtures/build-scripts.js';
import { openEngine, recordFrames, tempDataDir } from './helpers.js';

let standin: OllamaStandin;
let engine: Engine | undefined;
let dataDir: string;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('build');
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function build(prompt = 'Write a tiny math library with tests.', extra: Record<string, unknown> = {}) {
  engine = openEngine(dataDir, standin.url);
  const { task } = (await engine.invoke('tasks.create', { prompt, kind: 'build', model: 'qwen2.5-coder:7b', ...extra })) as { task: { id: string } };
  return task.id;
}

const chatRequests = () => standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Record<string, unknown>);

describe('build pipeline', () => {
  it('plans, implements with a bug, sees the sandboxed tests fail, fixes, passes, reviews; the zip holds the fixed code', async () => {
    standin.enqueueChat(answer('plan', adder.plan));
    standin.enqueueChat(answer('implement', adder.buggy));
    standin.enqueueChat(answer('docs', adder.readme));
    standin.enqueueChat(answer('fix', adder.fixed));
    standin.enqueueChat(answer('review', approve));
    const id = await build();
    const frames = recordFrames(engine!);
    const task = await engine!.waitForTask(id, 60_000);
    expect(task.error).toBeNull();
    expect(task.status).toBe('succeeded');

    const { steps } = (await engine!.invoke('tasks.steps', { taskId: id })) as { steps: Array<{ step: string; version: number; status: string; summary: string }> };
    expect(steps.map((s) => `${s.step}@v${s.version}:${s.status}`).sort()).toEqual(
      ['plan@v1:succeeded', 'implement@v1:succeeded', 'docs@v1:succeeded', 'test@v1:failed', 'fix@v1:succeeded', 'test@v2:succeeded', 'review@v1:succeeded'].sort(),
    );
    const failedTest = steps.find((s) => s.step === 'test' && s.version === 1)!;
    expect(failedTest.summary).toMatch(/adds two numbers/);

    const workspace = task.workspacePath;
    expect(fs.readFileSync(path.join(workspace, 'src/math.js'), 'utf8')).toContain('return a + b;');
    expect(fs.readFileSync(path.join(workspace, 'README.md'), 'utf8')).toContain('node --test');

    // The fix prompt carried the real failure from the sandboxed run and the implicated file.
    const fix = chatRequests().find((b) => stepOf(b) === 'fix')!;
    const fixPrompt = (fix.messages as Array<{ content: string }>).at(-1)!.content;
    expect(fixPrompt).toContain('adds two numbers');
    // The file is in the request: shown fresh, or (continuing the implement conversation) as the model wrote it.
    expect((fix.messages as Array<{ content: string }>).some((m) => m.content.includes('File: src/math.js'))).toBe(true);
    // The plan call asked for structured output with the plan's JSON schema; every call sends num_ctx.
    const plan = chatRequests().find((b) => stepOf(b) === 'plan')!;
    expect((plan.format as { properties: Record<string, unknown> }).properties).toHaveProperty('test_command');
    for (const body of chatRequests()) expect((body.options as { num_ctx: number }).num_ctx).toBeGreaterThanOrEqual(8192);

    // Step events went out live, in order per step.
    const stepEvents = frames.events(id).filter((e) => e.type === 'step');
    expect(stepEvents.length).toBe(14);

    // Artifacts: one JSON per step attempt with the prompt, model, options, output and timings.
    const artifact = JSON.parse(fs.readFileSync(path.join(dataDir, 'artifacts', id, 'fix@v1.json'), 'utf8'));
    expect(artifact.calls[0].messages.at(-1).content).toContain("The project's tests fail");
    expect(artifact.calls[0].options.num_ctx).toBeGreaterThanOrEqual(8192);
    expect(artifact.calls[0].output).toContain('return a + b;');
    expect(artifact.timings.llmMs).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dataDir, 'artifacts', id, 'manifest.json'))).toBe(true);

    const exported = await engine!.exportTask(id);
    const zip = await JSZip.loadAsync(fs.readFileSync(exported.path));
    expect(await zip.file('src/math.js')!.async('string')).toContain('return a + b;');
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest.files.find((f: { path: string }) => f.path === 'src/math.js').mediaType).toBe('text/javascript');
    expect(manifest.steps.map((s: { step: string }) => s.step)).toContain('fix');
    expect(manifest.task.status).toBe('succeeded');
  });

  it('fails after the configured fix rounds with the last test report', async () => {
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    standin.enqueueChat(answer('implement', adder.buggy));
    for (let i = 0; i < 3; i++) standin.enqueueChat(answer('fix', adder.stillBuggy));
    const id = await build();
    const task = await engine!.waitForTask(id, 90_000);
    expect(task.status).toBe('failed');
    expect(task.error?.code).toBe('TESTS_FAILED');
    expect(task.error?.message).toMatch(/after 3 fix rounds/);
    const report = (task.error?.details as { report: { failures: Array<{ name: string }> } }).report;
    expect(report.failures.map((f) => f.name)).toContain('adds two numbers');
    const { steps } = (await engine!.invoke('tasks.steps', { taskId: id })) as { steps: Array<{ step: string }> };
    expect(steps.filter((s) => s.step === 'test')).toHaveLength(4);
    expect(steps.filter((s) => s.step === 'fix')).toHaveLength(3);

    // Retry starts over from a fresh plan and fresh answers (not the cached ones), with fresh fix rounds.
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    standin.enqueueChat(answer('implement', adder.buggy.replace('a - b', 'a + b')));
    standin.enqueueChat(answer('review', approve));
    await engine!.invoke('tasks.retry', { taskId: id });
    const retried = await engine!.waitForTask(id, 60_000);
    expect(retried.error).toBeNull();
    expect(retried.status).toBe('succeeded');
    const after = ((await engine!.invoke('tasks.steps', { taskId: id })) as { steps: Array<{ step: string; version: number; replayOf: number | null; cachedCalls: number }> }).steps;
    const plan2 = after.find((s) => s.step === 'plan' && s.version === 2)!;
    expect(plan2.replayOf).toBe(1);
    expect(plan2.cachedCalls).toBe(0);
    expect(after.at(-1)!.step).toBe('review');
  });

  it('repairs a plan that is not valid JSON once', async () => {
    standin.enqueueChat(answer('plan', 'Sure! Here is the plan: {"summary": "x", files: [oops'));
    standin.enqueueChat(answer('repair-json', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    standin.enqueueChat(answer('implement', adder.buggy.replace('a - b', 'a + b')));
    standin.enqueueChat(answer('review', approve));
    const id = await build();
    const task = await engine!.waitForTask(id, 60_000);
    expect(task.status).toBe('succeeded');
    const repair = chatRequests().find((b) => stepOf(b) === 'repair-json')!;
    expect((repair.messages as Array<{ content: string }>).at(-1)!.content).toMatch(/not valid JSON/);
  });

  it('continues a cut-off answer and joins the file correctly', async () => {
    const full = adder.buggy.replace('a - b', 'a + b');
    const cut = full.indexOf('multiply(a, b) {');
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    standin.enqueueChat(answer('implement', full.slice(0, cut), { doneReason: 'length' }));
    // Models re-open the fence and repeat a little when asked to continue.
    standin.enqueueChat(answer('continue', `\`\`\`javascript\nexport function multiply(a, b) {${full.slice(cut + 'multiply(a, b) {'.length)}`));
    standin.enqueueChat(answer('review', approve));
    const id = await build();
    const task = await engine!.waitForTask(id, 60_000);
    expect(task.error).toBeNull();
    expect(task.status).toBe('succeeded');
    const math = fs.readFileSync(path.join(task.workspacePath, 'src/math.js'), 'utf8');
    expect(math).toBe('export function add(a, b) {\n  return a + b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n');
  });

  it('repairs an implement answer with no files once', async () => {
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    standin.enqueueChat(answer('implement', 'You can implement add as a + b and test it with node:test.'));
    standin.enqueueChat(answer('repair-format', adder.buggy.replace('a - b', 'a + b')));
    standin.enqueueChat(answer('review', approve));
    const id = await build();
    const task = await engine!.waitForTask(id, 60_000);
    expect(task.status).toBe('succeeded');
  });

  it('fails clearly when the model never writes files', async () => {
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add']] })));
    standin.enqueueChat(answer('implement', 'I would write add().'));
    standin.enqueueChat(answer('repair-format', 'Still no files, sorry.'));
    const id = await build();
    const task = await engine!.waitForTask(id, 60_000);
    expect(task.status).toBe('failed');
    expect(task.error?.code).toBe('NO_FILES');
  });

  it('the review asks for a missing expected file: one more implement round writes it', async () => {
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    standin.enqueueChat(answer('implement', adder.buggy.replace('a - b', 'a + b')));
    standin.enqueueChat(answer('review', approve));
    standin.enqueueChat(answer('implement', filesAnswer({ 'CHANGES.txt': 'first version\n' })));
    standin.enqueueChat(answer('review', approve));
    engine = openEngine(dataDir, standin.url);
    const spec = { type: 'CODE', input: { goal: 'Write a tiny math library with tests.' }, output_contract: { expected_files: ['src/math.js', 'CHANGES.txt'] } };
    const { task: created } = (await engine.invoke('tasks.create', { prompt: 'Write a tiny math library with tests.', kind: 'build', model: 'qwen2.5-coder:7b', metadata: { spec } })) as {
      task: { id: string };
    };
    const task = await engine.waitForTask(created.id, 60_000);
    expect(task.error).toBeNull();
    expect(task.status).toBe('succeeded');
    expect(fs.existsSync(path.join(task.workspacePath, 'CHANGES.txt'))).toBe(true);
    const { steps } = (await engine.invoke('tasks.steps', { taskId: created.id })) as { steps: Array<{ step: string; version: number; summary: string }> };
    expect(steps.find((s) => s.step === 'review' && s.version === 1)!.summary).toMatch(/CHANGES\.txt/);
    expect(steps.filter((s) => s.step === 'implement')).toHaveLength(2);
  });
});
