// Issue 15, requests: what the seed systems' clients send, sent verbatim to a real `macs serve`
// child (with the Ollama stand-in) and through the CLI (`macs`, `agentctl`) as their users
// would: the Phase-1 README's TaskV1.1, Agent-MVP's client ids and replay_step, agentctl's
// API_KEY and 1–5 feedback, the Unified Orchestrator's tiny spec, the Software Maker's
// retry/pause/resume/logs. Every refusal is checked for its field and reason.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, approve, filesAnswer, planJson } from '../fixtures/build-scripts.js';
import { MacsServeHarness } from './cli-harness.js';
import { tempDataDir } from './helpers.js';

// The Phase-1 README's example, byte for byte as a client script sends it.
const PHASE1_README_TASK = `{
  "type": "CODE",
  "input": {
    "language": "java",
    "frameworks": ["spring-boot"],
    "repo": {"path": "./workspace"},
    "constraints": {"max_tokens": 4000, "latency_ms": 60000},
    "goal": "Create a Spring Boot REST service with a /health endpoint and a unit test."
  },
  "output_contract": {"expected_files": ["build.gradle", "src/main/java/app/App.java"]},
  "non_negotiables": {"build_tool": "gradle", "jdk": 21},
  "oracle": {"smoke": true, "full": false}
}`;

const AGENT_MVP_ID = '3f6c2b1e-9a4d-4c8b-8e7f-0d1c2b3a4f5e';
const AGENT_MVP_TASK = `{"task_id": "${AGENT_MVP_ID}", "prompt": "Write a haiku about queues."}`;

const PY_PROJECT = {
  'src/main.py': 'def greeting():\n    return "hi"\n',
  'tests/test_main.py':
    'import sys\nimport unittest\n\nsys.path.insert(0, "src")\nfrom main import greeting  # noqa: E402\n\n\nclass GreetingTest(unittest.TestCase):\n    def test_says_hi(self):\n        self.assertEqual(greeting(), "hi")\n',
};

const ANSWER = 'Done.\nFile: notes.md\n```markdown\n# Notes\n```\n';

const h = new MacsServeHarness();
const repoRoot = tempDataDir('seed-repo-root');
let apiKey = '';

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: { fields?: Array<{ path: string; message: string }>; task_id?: string } } };
}

/** A raw request: the body goes as the exact text given. */
async function send(method: string, url: string, body?: string): Promise<Answer> {
  const res = await fetch(`${h.baseUrl}${url}`, { method, headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

function fieldOf(a: Answer, path: string): string | undefined {
  return a.body.error?.details?.fields?.find((f) => f.path === path)?.message;
}

async function waitStatus(id: string, done: (s: string) => boolean, ms = 20_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const { body } = await send('GET', `/v1/tasks/${id}`);
    if (done(String(body.status)) || Date.now() > until) return String(body.status);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const ended = (s: string) => ['succeeded', 'failed', 'cancelled'].includes(s);
const chatRequests = () => h.standin.requests.filter((r) => r.path === '/api/chat').length;

/** The next task's first model call hangs; resolves once that call has arrived (so no later task gets the hang). */
function hangNext(): () => Promise<void> {
  const before = chatRequests();
  h.standin.enqueueChat({ text: 'word '.repeat(200), tokensPerSecond: 50, hangAfterTokens: 2 });
  return async () => {
    for (let i = 0; i < 400 && chatRequests() === before; i++) await new Promise((r) => setTimeout(r, 50));
  };
}

beforeAll(async () => {
  // The root relative repo paths resolve against (the server reads it at request time from its env).
  process.env.MACS_WORKSPACE_ROOT = repoRoot;
  await h.start('seed-requests', { text: ANSWER });
  delete process.env.MACS_WORKSPACE_ROOT;
  apiKey = fs.readFileSync(path.join(h.dataDir, 'api-key'), 'utf8').trim();
}, 120_000);

afterAll(async () => {
  await h.close();
  fs.rmSync(repoRoot, { recursive: true, force: true });
});

describe('Phase-1 MVP: the README TaskV1.1', () => {
  it('is accepted byte for byte: named non-negotiables reach the prompt, ./workspace is a new project', async () => {
    // A hang keeps the build from using up the stand-in's answers; it is cancelled below.
    const hanging = hangNext();
    const created = await send('POST', '/v1/tasks', PHASE1_README_TASK);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = String(created.body.task_id);
    const task = await send('GET', `/v1/tasks/${id}`);
    expect(task.body).toMatchObject({ kind: 'build' });
    const detail = JSON.stringify(task.body);
    // A new generated project under the data dir, not a folder called ./workspace.
    expect(String(task.body.workspace_path)).toContain(h.dataDir);
    expect(detail).toContain('build_tool: gradle');
    expect(detail).toContain('jdk: 21');
    expect(detail).not.toContain('Existing repository');
    await hanging();
    const cancel = await h.cli(['cancel', id], { bin: 'bin/agentctl.js' });
    expect(cancel.code).toBe(0);
    expect(await waitStatus(id, ended)).toBe('cancelled');
  });

  it('oracle.smoke true runs the plan’s test command at the smoke level', async () => {
    h.standin.enqueueChat(
      answer('plan', planJson({ language: 'Python', files: [['src/main.py', 'greeting'], ['tests/test_main.py', 'unittest']], test_command: 'python3 -m unittest discover -s tests -v' })),
    );
    h.standin.enqueueChat(answer('implement', filesAnswer(PY_PROJECT, 'python')));
    h.standin.enqueueChat(answer('review', approve));
    const spec = JSON.stringify({ type: 'CODE', input: { goal: 'print hi', language: 'Python' }, non_negotiables: { runtime: 'python3' }, oracle: { smoke: true, full: true } });
    const created = await send('POST', '/v1/tasks', spec);
    expect(created.status).toBe(201);
    const id = String(created.body.task_id);
    expect(await waitStatus(id, ended, 60_000)).toBe('succeeded');
    const steps = await send('GET', `/v1/tasks/${id}/steps`);
    const test = (steps.body.steps as Array<{ step: string; reports?: Array<{ level: string; command: string[] }> }>).find((s) => s.step === 'test');
    // Both levels asked for the same command: it ran once, as the smoke level.
    expect(JSON.stringify(test)).toContain('"level":"smoke"');
    expect(JSON.stringify(test)).not.toContain('"level":"full"');
    seedBuildId = id;
  }, 90_000);

  it('a relative repo.path resolves against MACS_WORKSPACE_ROOT, never the server’s cwd', async () => {
    fs.mkdirSync(path.join(repoRoot, 'apps/site'), { recursive: true });
    const hanging = hangNext();
    const ok = await send('POST', '/v1/tasks', JSON.stringify({ type: 'CODE', input: { goal: 'tidy up', repo: { path: 'apps/site' } } }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const task = await send('GET', `/v1/tasks/${String(ok.body.task_id)}`);
    expect(task.body.workspace_path).toBe(fs.realpathSync(path.join(repoRoot, 'apps/site')));
    const id = String(ok.body.task_id);
    await hanging();
    await send('POST', `/v1/tasks/${id}/cancel`);
    expect(await waitStatus(id, ended)).toBe('cancelled');

    // bin/ exists in the server's cwd (the repo), not under the root: refused, naming the field.
    const missing = await send('POST', '/v1/tasks', JSON.stringify({ type: 'CODE', input: { goal: 'x', repo: { path: './bin' } } }));
    expect(missing.status).toBe(400);
    expect(fieldOf(missing, 'input.repo.path')).toBeTruthy();
  });

  it('refuses what it still cannot honour with 400, the field and what is accepted', async () => {
    const bad = await send('POST', '/v1/tasks', JSON.stringify({ type: 'CODE', input: { goal: 'x' }, non_negotiables: { jdk: { min: 17 } }, oracle: { smoke: 'yes', full: 1 } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('INVALID_INPUT');
    expect(fieldOf(bad, 'non_negotiables')).toContain('{"build_tool": "gradle", "jdk": 21}');
    expect(fieldOf(bad, 'oracle.smoke')).toContain('true/false');
    expect(fieldOf(bad, 'oracle.full')).toContain('list of commands');
  });
});

let seedBuildId = '';

describe('Agent-MVP: client task ids and replay_step on the enqueue endpoint', () => {
  it('honours the client id, and the same request again returns the same task', async () => {
    const first = await send('POST', '/v1/tasks', AGENT_MVP_TASK);
    expect(first.status).toBe(201);
    expect(first.body.task_id).toBe(AGENT_MVP_ID);
    const again = await send('POST', '/v1/tasks', AGENT_MVP_TASK);
    expect(again.status).toBe(200);
    expect(again.body.task_id).toBe(AGENT_MVP_ID);
    // Key order and spacing do not make it another request.
    const reordered = await send('POST', '/v1/tasks', `{"prompt":"Write a haiku about queues.","task_id":"${AGENT_MVP_ID.toUpperCase()}"}`);
    expect(reordered.status).toBe(200);
    const list = await send('GET', '/v1/tasks?limit=500');
    expect((list.body.tasks as Array<{ task_id: string }>).filter((t) => t.task_id === AGENT_MVP_ID)).toHaveLength(1);
    expect(await waitStatus(AGENT_MVP_ID, ended)).toBe('succeeded');
  });

  it('the same id with other content is a 409 naming the id; a malformed id a 400 naming task_id', async () => {
    const other = await send('POST', '/v1/tasks', `{"task_id": "${AGENT_MVP_ID}", "prompt": "Something else."}`);
    expect(other.status).toBe(409);
    expect(other.body.error?.code).toBe('TASK_ID_TAKEN');
    expect(other.body.error?.message).toContain(AGENT_MVP_ID);
    expect(fieldOf(other, 'task_id')).toContain(AGENT_MVP_ID);
    const bad = await send('POST', '/v1/tasks', '{"task_id": "job-42", "prompt": "x"}');
    expect(bad.status).toBe(400);
    expect(fieldOf(bad, 'task_id')).toContain('UUID');
  });

  it('replay_step re-runs implement@v1; design@v1 is plan@v1', async () => {
    expect(seedBuildId).not.toBe('');
    const plan = await send('GET', `/v1/tasks/${seedBuildId}/steps/design/v1`);
    expect(plan.status).toBe(200);
    expect(plan.body.step).toMatchObject({ step: 'plan', version: 1 });

    const bad = await send('POST', '/v1/tasks', JSON.stringify({ action: 'replay_steps', task_id: seedBuildId, step_id: 'deploy@v1' }));
    expect(bad.status).toBe(400);
    expect(fieldOf(bad, 'action')).toContain('replay_step');
    expect(fieldOf(bad, 'step_id')).toContain('design = plan');

    h.standin.enqueueChat(answer('implement', filesAnswer(PY_PROJECT, 'python')));
    h.standin.enqueueChat(answer('review', approve));
    const replay = await send('POST', '/v1/tasks', JSON.stringify({ action: 'replay_step', task_id: seedBuildId, step_id: 'implement@v1', reason: 'flaky network' }));
    expect(replay.status, JSON.stringify(replay.body)).toBe(202);
    expect(replay.body).toMatchObject({ task_id: seedBuildId, replay: { step: 'implement', version: 1, reason: 'flaky network' } });
    expect(await waitStatus(seedBuildId, ended, 60_000)).toBe('succeeded');
    const steps = (await send('GET', `/v1/tasks/${seedBuildId}/steps`)).body.steps as Array<{ step: string; version: number }>;
    expect(steps.some((s) => s.step === 'implement' && s.version === 2)).toBe(true);
    const events = JSON.stringify((await send('GET', `/v1/tasks/${seedBuildId}/events?limit=5000`)).body);
    expect(events).toContain('replay implement@v1: flaky network');
  }, 90_000);
});

describe('agentctl habits', () => {
  // A machine that is not the server's: no key file, the key in the seed's API_KEY.
  const elsewhere = () => ({ MACS_DATA_DIR: tempDataDir('seed-client-elsewhere'), API_KEY: apiKey });

  it('submit task.json, status, cancel and feedback feedback.json with the seed’s files and API_KEY', async () => {
    const id = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
    const task = h.writeJson('task.json', { task_id: id, prompt: 'Summarise the queue design.' });
    const submit = await h.cli(['submit', task], { bin: 'bin/agentctl.js', env: elsewhere() });
    expect(submit.code, submit.err).toBe(0);
    expect(submit.out.trim()).toBe(id);
    expect(await waitStatus(id, ended)).toBe('succeeded');
    const status = await h.cli(['status', id], { bin: 'bin/agentctl.js', env: elsewhere() });
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/^status\s+succeeded/m);
    const cancel = await h.cli(['cancel', id], { bin: 'bin/agentctl.js', env: elsewhere() });
    expect(cancel.out).toContain('nothing to cancel');

    const ratings = [
      [4, 1, 'good'],
      [3, 0, 'neutral'],
      [1, 1, null], // a bare 1 keeps our meaning (good): see README
    ] as const;
    const db = new Database(path.join(h.dataDir, 'macs.db'), { readonly: true });
    for (const [given, stored, word] of ratings) {
      const fb = await h.cli(['feedback', h.writeJson('feedback.json', { task_id: id, rating: given, comment: `rated ${given}` })], { bin: 'bin/agentctl.js', env: elsewhere() });
      expect(fb.code, fb.err).toBe(0);
      if (word) expect(fb.out).toContain(`(${given} of 5 counted as ${word})`);
      const fbId = Number(/feedback #(\d+)/.exec(fb.out)![1]);
      expect(db.prepare('SELECT rating, rating_given, rating_scale FROM feedback WHERE id = ?').get(fbId)).toEqual({ rating: stored, rating_given: given, rating_scale: given === 1 ? 2 : 5 });
    }
    db.close();
    const refused = await h.cli(['feedback', h.writeJson('feedback.json', { task_id: id, rating: 7 })], { bin: 'bin/agentctl.js', env: elsewhere() });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/rating: .*1 to 5/);
  });

  it('MACS_API_KEY wins over API_KEY', async () => {
    const r = await h.cli(['list'], { bin: 'bin/agentctl.js', env: { ...elsewhere(), MACS_API_KEY: 'not-the-key-0123456789abcdef' } });
    expect(r.code).toBe(5);
  });
});

describe('Unified Orchestrator: macs run spec.yaml', () => {
  const yamlFile = (name: string, text: string) => {
    const file = path.join(h.dataDir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('runs the tiny spec in the project it names', async () => {
    const spec = yamlFile('spec.yaml', 'project: hello-api\ntask: "Write a README for a hello API"\nprovider: ollama\noptions:\n  model: qwen2.5-coder:7b\n');
    const run = await h.cli(['run', spec]);
    expect(run.code, run.err).toBe(0);
    const projects = (await send('GET', '/v1/projects')).body.projects as Array<{ name: string; turn_count?: number }>;
    expect(projects.filter((p) => p.name === 'hello-api')).toHaveLength(1);
    // The same spec again is the project's next turn, not a second project.
    expect((await h.cli(['run', spec])).code).toBe(0);
    const after = (await send('GET', '/v1/projects')).body.projects as Array<{ name: string }>;
    expect(after.filter((p) => p.name === 'hello-api')).toHaveLength(1);
  }, 60_000);

  it('a syntax error names the line and column; an unknown option or provider is named', async () => {
    const broken = await h.cli(['run', yamlFile('broken.yaml', 'project: x\ntask: ok\n  options: [1\n')]);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/broken\.yaml:\d+:\d+: YAML syntax error \(line \d+, column \d+\)/);
    const option = await h.cli(['run', yamlFile('option.yaml', 'task: ok\noptions:\n  temperature: 0.2\n')]);
    expect(option.code).toBe(2);
    expect(option.err).toContain('options: Unrecognized key: "temperature"');
    const provider = await h.cli(['run', yamlFile('plain.yaml', 'task: ok\n')], { env: { PROVIDER: 'openai' } });
    expect(provider.code).toBe(2);
    // No OpenAI-compatible provider is configured here: refused before anything is created, naming what is.
    expect(provider.err).toContain('PROVIDER=openai: no enabled provider of kind openai is configured (only ollama is configured');
  });
});

describe('Software Maker: retry, pause, resume, logs', () => {
  it('logs prints the timeline; retry requeues; pause holds the project’s queued turns until resume', async () => {
    const created = await send('POST', '/v1/tasks', '{"prompt": "first turn"}');
    const id = String(created.body.task_id);
    expect(await waitStatus(id, ended)).toBe('succeeded');
    const logs = await h.cli(['logs', id]);
    expect(logs.code).toBe(0);
    expect(logs.out).toMatch(/^SEQ\s+AT\s+EVENT\s+DETAIL$/m);
    expect(logs.out).toMatch(/status\s+succeeded/);

    const pause = await h.cli(['pause', id]);
    expect(pause.code, pause.err).toBe(0);
    expect(pause.out).toContain('paused');
    const projectId = String((await send('GET', `/v1/tasks/${id}`)).body.project_id);
    const turn = await send('POST', '/v1/tasks', JSON.stringify({ prompt: 'second turn', project_id: projectId }));
    const turnId = String(turn.body.task_id);
    await new Promise((r) => setTimeout(r, 800));
    expect((await send('GET', `/v1/tasks/${turnId}`)).body.status).toBe('queued');
    const resume = await h.cli(['resume', turnId]);
    expect(resume.code, resume.err).toBe(0);
    expect(await waitStatus(turnId, ended)).toBe('succeeded');

    await send('POST', `/v1/tasks/${turnId}/cancel`);
    const cancelled = await send('POST', '/v1/tasks', '{"prompt": "to be retried"}');
    const cid = String(cancelled.body.task_id);
    await send('POST', `/v1/tasks/${cid}/cancel`);
    await waitStatus(cid, ended);
    const retry = await h.cli(['retry', cid, '--wait']);
    expect(retry.code, retry.err).toBe(0);
    expect((await send('GET', `/v1/tasks/${cid}`)).body.status).toBe('succeeded');
    expect((await h.cli(['logs', 'no-such-task'])).code).toBe(3);
  }, 60_000);
});
