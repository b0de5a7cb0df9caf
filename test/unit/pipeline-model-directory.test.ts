import { describe, expect, it } from 'vitest';
import type { RoleModels } from '../../shared/index.js';
import { ModelDirectory, type ModelCandidate, type ModelFacts } from '../../electron/core/pipeline/model-directory.js';

const HOST = 'http://127.0.0.1:11434';
const facts = (digest: string, over: Partial<ModelFacts> = {}): ModelFacts => ({ digest, contextLength: 32768, maxGpuContext: 16384, ...over });
const installed = (...names: string[]) => new Map(names.map((n) => [n, facts(`sha-${n}`)]));
const roles = (over: Partial<RoleModels> = {}): RoleModels => ({ plan: null, implement: null, fix: null, review: null, ...over });
/** What the router hands the directory for a role with one model set (providers/routing.ts), then the task's model. */
const routed = (role: keyof RoleModels, r: RoleModels, task: string): ModelCandidate[] => [
  ...(r[role] ? [{ model: r[role] as string, reason: `role setting for ${role}` }] : []),
  ...(r[role] === task ? [] : [{ model: task, reason: "the task's model" }]),
];

describe('ModelDirectory.candidates', () => {
  it('tries the role setting, then the task model, then the recommended one', () => {
    const dir = new ModelDirectory(installed('fixer', 'task', 'rec'), 'rec', HOST);
    expect(dir.candidates(routed('fix', roles({ fix: 'fixer' }), 'task'))).toEqual([
      { model: 'fixer', reason: 'role setting for fix' },
      { model: 'task', reason: "the task's model" },
      { model: 'rec', reason: 'recommended for this machine' },
    ]);
  });

  it('uses only the setting of its own role', () => {
    const dir = new ModelDirectory(installed('planner', 'task'), null, HOST);
    expect(dir.candidates(routed('review', roles({ plan: 'planner' }), 'task'))).toEqual([{ model: 'task', reason: "the task's model" }]);
  });

  it('lists a model once, with the first reason', () => {
    const dir = new ModelDirectory(installed('m'), 'm', HOST);
    expect(dir.candidates(routed('implement', roles({ implement: 'm' }), 'm'))).toEqual([{ model: 'm', reason: 'role setting for implement' }]);
    const two = new ModelDirectory(installed('m', 'rec'), 'rec', HOST);
    expect(two.candidates(routed('plan', roles({ plan: 'rec' }), 'm')).map((c) => c.model)).toEqual(['rec', 'm']);
  });

  it('skips models that are not installed and says why in the next reason', () => {
    const dir = new ModelDirectory(installed('rec'), 'rec', HOST);
    const out = dir.candidates(routed('fix', roles({ fix: 'big:70b' }), 'mid:14b'));
    expect(out).toHaveLength(1);
    expect(out[0].model).toBe('rec');
    expect(out[0].reason).toBe(
      `recommended for this machine; fallback because big:70b (role setting for fix) is not installed on ${HOST}, mid:14b (the task's model) is not installed on ${HOST}`,
    );
  });

  it('names the skipped role model in the task model\'s reason', () => {
    const dir = new ModelDirectory(installed('task', 'rec'), 'rec', HOST);
    const out = dir.candidates(routed('review', roles({ review: 'gone' }), 'task'));
    expect(out.map((c) => c.model)).toEqual(['task', 'rec']);
    expect(out[0].reason).toContain("the task's model; fallback because gone (role setting for review) is not installed on");
    expect(out[0].reason).toContain(HOST);
  });

  it('tries every configured model when what is installed is unknown (Ollama down)', () => {
    const dir = new ModelDirectory(null, 'rec', HOST);
    expect(dir.isInstalled('anything')).toBeNull();
    expect(dir.candidates(routed('fix', roles({ fix: 'fixer' }), 'task'))).toEqual([
      { model: 'fixer', reason: 'role setting for fix' },
      { model: 'task', reason: "the task's model" },
      { model: 'rec', reason: 'recommended for this machine' },
    ]);
  });

  it('returns the configured list when none is installed, so the error names the model', () => {
    const dir = new ModelDirectory(installed('other'), null, HOST);
    expect(dir.candidates(routed('plan', roles({ plan: 'p' }), 'task'))).toEqual([
      { model: 'p', reason: 'role setting for plan' },
      { model: 'task', reason: "the task's model" },
    ]);
    const same = new ModelDirectory(new Map(), 'task', HOST);
    expect(same.candidates(routed('plan', roles(), 'task'))).toEqual([{ model: 'task', reason: "the task's model" }]);
  });
});

describe('ModelDirectory facts and limits', () => {
  it('gives the facts of installed models and the context limits with the floor', () => {
    const dir = new ModelDirectory(new Map([['m', facts('sha-m', { contextLength: 8192, maxGpuContext: null })]]), null, HOST);
    expect(dir.facts('m')?.digest).toBe('sha-m');
    expect(dir.facts('x')).toBeNull();
    expect(dir.isInstalled('m')).toBe(true);
    expect(dir.isInstalled('x')).toBe(false);
    expect(dir.limits('m', 4096)).toEqual({ floor: 4096, trained: 8192, gpuMax: null });
    expect(dir.limits('x', 2048)).toEqual({ floor: 2048, trained: null, gpuMax: null });
  });
});

describe('ModelDirectory: another provider\'s models', () => {
  it('takes the window the server reports as the whole range, or the user\'s setting when it reports none', () => {
    const remote = new Map([['@lmstudio/coder', { digest: 'openai:http://127.0.0.1:1234/v1:coder', contextLength: 32768, maxGpuContext: null }]]);
    const dir = new ModelDirectory(new Map(), null, HOST, remote);
    expect(dir.isRemote('@lmstudio/coder')).toBe(true);
    expect(dir.isInstalled('@lmstudio/coder')).toBeNull(); // only the server knows: the call says
    expect(dir.limits('@lmstudio/coder', 8192)).toEqual({ floor: 32768, trained: 32768, gpuMax: 32768 });
    expect(dir.limits('@lmstudio/unknown', 8192)).toEqual({ floor: 8192, trained: 8192, gpuMax: 8192 });
    // Not skipped as "not installed" (Ollama's list says nothing about it).
    expect(dir.candidates([{ model: '@lmstudio/coder', reason: 'route' }]).map((c) => c.model)).toEqual(['@lmstudio/coder']);
  });
});
