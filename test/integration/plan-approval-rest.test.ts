// Review plans first over REST: GET /v1/tasks/:id/plan shows the waiting plan, POST …/plan/approve
// lets the build go on (as shown, or edited); a bad body names the field; a second approval is refused.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answer, approve, filesAnswer, planJson, stepOf } from '../fixtures/build-scripts.js';
import { startServedEngine, type ServedEngine } from './served-engine.js';

let s: ServedEngine;
let base = '';
let apiKey = '';

beforeEach(async () => {
  s = await startServedEngine('plan-rest');
  base = `http://127.0.0.1:${s.server.port}`;
  apiKey = s.engine.apiKey().apiKey;
});
afterEach(async () => s.close());

async function api(method: string, urlPath: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const TEST = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/sum.js';\n\ntest('adds', () => assert.equal(add(2, 3), 5));\n";
const FILES = filesAnswer({ 'src/sum.js': 'export function add(a, b) {\n  return a + b;\n}\n', 'test/math.test.js': TEST, 'package.json': '{ "type": "module" }\n' });

describe('review plans first over REST', () => {
  it('shows the waiting plan, refuses a bad edit by its field, approves an edited plan, then refuses a second approval', async () => {
    s.standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    s.standin.enqueueChat(answer('implement', FILES));
    s.standin.enqueueChat(answer('review', approve));
    await s.engine.invoke('settings.update', { reviewPlansFirst: true });
    const created = await api('POST', '/v1/tasks', { prompt: 'Write a tiny math library with tests.', model: 'qwen2.5-coder:7b', metadata: { mode_hint: 'build' } });
    const id = String(created.json.task_id);

    const deadline = Date.now() + 30_000;
    let shown = await api('GET', `/v1/tasks/${id}/plan`);
    while (shown.json.waiting !== true) {
      if (Date.now() > deadline) throw new Error(`the build never waited for its plan: ${JSON.stringify(shown)}`);
      await new Promise((r) => setTimeout(r, 50));
      shown = await api('GET', `/v1/tasks/${id}/plan`);
    }
    expect(shown.status).toBe(200);
    expect(shown.json.plan_version).toBe(1);
    const plan = shown.json.plan as { files: Array<{ path: string; purpose: string }> };
    expect(plan.files.map((f) => f.path)).toEqual(['src/math.js', 'test/math.test.js']);
    expect(s.standin.requests.filter((r) => r.path === '/api/chat' && stepOf(r.body as never) === 'implement')).toHaveLength(0);

    const bad = await api('POST', `/v1/tasks/${id}/plan/approve`, { plan: { ...plan, files: [] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('plan.files');

    const edited = { ...plan, files: [{ path: 'src/sum.js', purpose: 'add' }, plan.files[1]] };
    const ok = await api('POST', `/v1/tasks/${id}/plan/approve`, { plan: edited });
    expect(ok.status).toBe(200);
    expect(ok.json.task_id).toBe(id);
    const done = await s.engine.waitForTask(id, 60_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(fs.existsSync(path.join(done.workspacePath, 'src/sum.js'))).toBe(true);

    const again = await api('POST', `/v1/tasks/${id}/plan/approve`);
    expect(again.status).toBe(409);
    expect((again.json.error as { code: string }).code).toBe('PLAN_NOT_WAITING');
    expect((await api('GET', `/v1/tasks/${id}/plan`)).json).toMatchObject({ waiting: false, plan: null });
  }, 90_000);
});
