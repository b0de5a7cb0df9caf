// The client commands (`macs submit | status | cancel | feedback | show | list`, and the
// `agentctl` alias) against a real `macs serve` child process, as a script would use them.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, tempDataDir } from './helpers.js';
import { MacsServeHarness, type CliOptions } from './cli-harness.js';
import { answer, approve, filesAnswer, planJson } from '../fixtures/build-scripts.js';

const PY_PROJECT = {
  'src/main.py': 'def greeting():\n    return "hi"\n\n\nif __name__ == "__main__":\n    print(greeting())\n',
  'tests/test_main.py':
    'import sys\nimport unittest\n\nsys.path.insert(0, "src")\nfrom main import greeting  # noqa: E402\n\n\nclass GreetingTest(unittest.TestCase):\n    def test_says_hi(self):\n        self.assertEqual(greeting(), "hi")\n',
};

const ANSWER = 'Two files.\nFile: src/main.py\n```python\nprint("hi")\n```\nFile: README.md\n```markdown\n# Demo\n```\n';

const h = new MacsServeHarness();
const cli = (args: string[], opts?: CliOptions) => h.cli(args, opts);
const writeJson = (name: string, value: unknown) => h.writeJson(name, value);

async function statusOf(id: string): Promise<string> {
  const r = await cli(['status', id, '--json']);
  return JSON.parse(r.out).status as string;
}

beforeAll(async () => {
  await h.start('cli-client', { text: ANSWER });
  expect(h.banner).toContain(`REST API: ${h.baseUrl}/v1`);
});

afterAll(() => h.close());

describe('macs client commands against `macs serve`', () => {
  it('submit prints the task id; status shows it, human and --json, with the key read from the data dir', async () => {
    const submitted = await cli(['submit', writeJson('simple.json', { prompt: 'a greeting' })]);
    expect(submitted.code).toBe(0);
    expect(submitted.out).toMatch(/^[\w-]+\n$/);
    const id = submitted.out.trim();
    for (let i = 0; i < 100 && (await statusOf(id)) !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 50));

    const json = await cli(['status', id, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ task_id: id, status: 'succeeded', kind: 'chat', file_count: 2, durations_ms: { total: expect.any(Number) } });
    const human = await cli(['status', id]);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^task\s+\S+$/m);
    expect(human.out).toMatch(/^status\s+succeeded {2}\(attempt 1 of \d+\)$/m);
    expect(human.out).toMatch(/^ran\s+\d+(\.\d)? m?s$/m);
  });

  it('submit --wait runs a TaskV1.1 build to the end (tests really run); show --events prints the timeline', async () => {
    const spec = { type: 'CODE', input: { language: 'Python', goal: 'print hi' }, output_contract: { expected_files: ['src/main.py'] } };
    h.standin.enqueueChat(
      answer('plan', planJson({ language: 'Python', files: [['src/main.py', 'greeting'], ['tests/test_main.py', 'unittest'], ['README.md', 'usage']], test_command: 'python3 -m unittest discover -s tests -v' })),
    );
    h.standin.enqueueChat(answer('implement', filesAnswer(PY_PROJECT, 'python')));
    h.standin.enqueueChat(answer('docs', filesAnswer({ 'README.md': '# Demo\n' })));
    h.standin.enqueueChat(answer('review', approve));
    const run = await cli(['submit', '-', '--wait'], { stdin: JSON.stringify(spec) });
    expect(run.err).toContain('→ writing src/main.py');
    expect(run.err).toMatch(/✔ test@v1 · .*1 test.* passed/);
    expect(run.err).toMatch(/succeeded: 3 file\(s\)/);
    expect(run.code).toBe(0);
    const idLine = run.out.split('\n')[0];

    const show = await cli(['show', idLine, '--events']);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/^kind\s+build · qwen2\.5-coder:7b$/m);
    expect(show.out).toMatch(/^src\/main\.py\s+\d+ B\s+[0-9a-f]{12}$/m);
    expect(show.out).toMatch(/^SEQ\s+AT\s+EVENT\s+DETAIL$/m);
    expect(show.out).toMatch(/^#1\s+\+0 ms\s+status\s+queued$/m);
    expect(show.out).toMatch(/status\s+succeeded \(attempt 1\)$/m);
    expect(show.out).toMatch(/file\.close\s+close README\.md \(7 B\)$/m);

    const json = JSON.parse((await cli(['show', idLine, '--events', '--json'])).out);
    expect(json.events.map((e: { seq: number }) => e.seq)).toEqual(json.events.map((_: unknown, i: number) => i + 1));
  });

  it('list prints an aligned table and filters by --status and --limit', async () => {
    const table = await cli(['list']);
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+KIND\s+MODEL\s+CREATED\s+TIME\s+TITLE$/);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    // Aligned: every row's STATUS column starts where the header's does.
    const col = lines[0].indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line.slice(col)).toMatch(/^(succeeded|running|queued|failed|cancelled) /);
    const succeeded = JSON.parse((await cli(['list', '--status', 'succeeded', '--json'])).out).tasks;
    expect(succeeded.length).toBeGreaterThanOrEqual(2);
    expect(succeeded.every((t: { status: string }) => t.status === 'succeeded')).toBe(true);
    expect(JSON.parse((await cli(['list', '--limit', '1', '--json'])).out).tasks).toHaveLength(1);
    expect((await cli(['list', '--status', 'failed'])).out).toBe('No failed tasks.\n');
  });

  it('cancel stops a running task (then status exits 1); feedback is stored', async () => {
    h.standin.enqueueChat({ text: 'word '.repeat(200), tokensPerSecond: 100, hangAfterTokens: 3 });
    const id = (await cli(['submit', writeJson('hang.json', { prompt: 'hang' })])).out.trim();
    for (let i = 0; i < 100 && (await statusOf(id)) !== 'running'; i++) await new Promise((r) => setTimeout(r, 50));
    const cancel = await cli(['cancel', id]);
    expect(cancel.code).toBe(0);
    expect(cancel.out).toBe(`${id} cancelled.\n`);
    const again = await cli(['cancel', id]);
    expect(again.out).toBe(`${id} had already been cancelled; nothing to cancel.\n`);
    const status = await cli(['status', id]);
    expect(status.code).toBe(1);
    expect(status.out).toMatch(/^status\s+cancelled/m);

    const fb = await cli(['feedback', writeJson('fb.json', { task_id: id, rating: -1, comment: 'too slow' })]);
    expect(fb.code).toBe(0);
    const fbId = Number(/^feedback #(\d+) recorded\.$/m.exec(fb.out)![1]);
    const db = new Database(path.join(h.dataDir, 'macs.db'), { readonly: true });
    expect(db.prepare('SELECT task_id, rating, comment FROM feedback WHERE id = ?').get(fbId)).toEqual({ task_id: id, rating: -1, comment: 'too slow' });
    db.close();
  });

  it('exit codes: 1 failed task, 2 usage/invalid input, 3 not found, 4 unreachable, 5 unauthorized', async () => {
    const failed = await cli(['submit', writeJson('ghost.json', { prompt: 'x' }), '--wait', '--model', 'ghost:7b']);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('[MODEL_NOT_FOUND]');

    const invalid = await cli(['submit', writeJson('bad.json', { type: 'CODE', input: { goal: '' }, oracle: { smoke: 'pytest' } })]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('input.goal: Say what to build.');
    expect(invalid.err).toContain('oracle.smoke:');
    expect((await cli(['submit'])).code).toBe(2);
    expect((await cli(['submit', path.join(h.dataDir, 'missing.json')])).code).toBe(2);
    expect((await cli(['status'])).code).toBe(2);
    expect((await cli(['list', '--limit', 'many'])).code).toBe(2);

    const missing = await cli(['status', 'no-such-task']);
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('[TASK_NOT_FOUND]');
    expect((await cli(['show', 'no-such-task'])).code).toBe(3);

    const deadUrl = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await cli(['list', '--url', deadUrl]);
    expect(unreachable.code).toBe(4);
    expect(unreachable.err).toContain(`Cannot reach MACS at ${deadUrl}`);
    expect(unreachable.err).toContain('macs serve');

    const wrongFlag = await cli(['submit', path.join(h.dataDir, 'simple.json'), '--api-key', 'wrong']);
    expect(wrongFlag.code).toBe(5);
    expect(wrongFlag.err).toContain('[UNAUTHORIZED]');
    expect((await cli(['cancel', 'x'], { env: { MACS_API_KEY: 'wrong' } })).code).toBe(5);
    // No key anywhere (another data dir): reads are refused like writes, with the way to fix it.
    const elsewhere = tempDataDir('cli-nokey');
    try {
      const list = await cli(['list'], { env: { MACS_DATA_DIR: elsewhere } });
      expect(list.code).toBe(5);
      expect(list.err).toContain('--api-key KEY or MACS_API_KEY');
      expect((await cli(['show', 'x'], { env: { MACS_DATA_DIR: elsewhere } })).code).toBe(5);
      expect((await cli(['submit', path.join(h.dataDir, 'simple.json')], { env: { MACS_DATA_DIR: elsewhere } })).code).toBe(5);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('serve refuses a MACS_METRICS it does not know, and names the choices', async () => {
    const r = await cli(['serve', '--port', '0'], { env: { MACS_METRICS: 'public' } });
    expect(r.code).toBe(2);
    expect(r.err).toContain('MACS_METRICS must be one of key, open, off');
  });

  it('agentctl is the same command', async () => {
    const viaAlias = await cli(['list', '--json'], { bin: 'bin/agentctl.js' });
    const viaMacs = await cli(['list', '--json']);
    expect(viaAlias.code).toBe(0);
    expect(JSON.parse(viaAlias.out).tasks.map((t: { task_id: string }) => t.task_id)).toEqual(JSON.parse(viaMacs.out).tasks.map((t: { task_id: string }) => t.task_id));
    const help = await cli(['--help'], { bin: 'bin/agentctl.js' });
    expect(help.code).toBe(0);
    expect(help.out).toContain('macs submit task.json');
  });
});
