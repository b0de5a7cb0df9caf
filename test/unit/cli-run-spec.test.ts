import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpecError, chooseProvider, readTinySpec } from '../../electron/cli/run-spec.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-run-spec-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function spec(text: string): string {
  const file = path.join(dir, `s${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return err.message;
    throw err;
  }
  return '';
}

describe('readTinySpec (macs run spec.yaml)', () => {
  it('reads project, task, provider and options', () => {
    const file = spec('project: hello-api\ntask: |\n  A FastAPI hello world\n  with tests\nprovider: Ollama\noptions:\n  model: qwen2.5-coder:7b\n  build: true\n  num_ctx: 8192\n  out: ./out\n');
    expect(readTinySpec(file, {})).toEqual({ prompt: 'A FastAPI hello world\nwith tests', project: 'hello-api', model: 'qwen2.5-coder:7b', build: true, numCtx: 8192, out: './out', provider: 'ollama' });
    expect(readTinySpec(spec('task: hi\noptions:\n  mode: build\n'), {})).toMatchObject({ build: true });
    expect(readTinySpec(spec('task: hi\noptions:\n'), {})).toMatchObject({ build: false });
  });

  it('a syntax error names the file, line and column', () => {
    expect(errorOf(() => readTinySpec(spec('task: ok\n  bad: [1\n'), {}))).toMatch(/\.yaml:1:7: YAML syntax error \(line 1, column 7\)/);
    expect(errorOf(() => readTinySpec(spec('task: a\ntask: b\n'), {}))).toMatch(/:2:1: YAML syntax error .*unique/i);
  });

  it('names each field it cannot honour and what the spec takes', () => {
    const msg = errorOf(() => readTinySpec(spec('tasks: hi\noptions:\n  temperature: 0.2\n  num_ctx: 12\n'), {}));
    expect(msg).toContain('fields are project, task, provider, options (model, build, mode, num_ctx, out)');
    expect(msg).toMatch(/^ {2}task: Say what to do/m);
    expect(msg).toContain('options: Unrecognized key: "temperature"');
    expect(msg).toMatch(/^ {2}options\.num_ctx: /m);
    expect(errorOf(() => readTinySpec(spec('- a list\n'), {}))).toContain('expected a mapping with task');
    expect(errorOf(() => readTinySpec(spec('task: x\noptions: {build: false, mode: build}\n'), {}))).toContain('disagree');
  });

  it('the provider: the spec’s, else PROVIDER=, else none; only its form is checked here', () => {
    expect(chooseProvider(undefined, {})).toBeUndefined();
    expect(chooseProvider(undefined, { PROVIDER: ' ' })).toBeUndefined();
    expect(chooseProvider(undefined, { PROVIDER: 'OLLAMA' })).toBe('ollama');
    expect(chooseProvider(undefined, { PROVIDER: 'openai' })).toBe('openai');
    expect(chooseProvider('vllm', { PROVIDER: 'ollama' })).toBe('vllm');
    expect(() => chooseProvider(undefined, { PROVIDER: 'open ai!' })).toThrow('PROVIDER=open ai!: not a provider; say ollama, openai, anthropic, claude or a configured provider');
    expect(readTinySpec(spec('task: x\nprovider: anthropic\n'), {}).provider).toBe('anthropic');
    expect(errorOf(() => readTinySpec(spec('task: x\nprovider: "@x"\n'), {}))).toContain('provider: @x: not a provider');
  });
});
