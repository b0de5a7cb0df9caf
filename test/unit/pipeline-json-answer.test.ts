import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PlanSchema } from '../../shared/index.js';
import { parseJsonAnswer } from '../../electron/core/pipeline/steps/json-answer.js';

const PLAN = {
  summary: 'Adds numbers.',
  language: 'javascript',
  files: [{ path: 'src/add.js', purpose: 'the adder' }],
  test_command: 'node --test',
  acceptance: ['adds'],
  run_command: '',
  scenarios: [],
};
const json = JSON.stringify(PLAN, null, 2);

describe('parseJsonAnswer', () => {
  it('reads a bare JSON object', () => {
    expect(parseJsonAnswer(json, PlanSchema)).toEqual({ ok: true, value: PLAN });
    expect(parseJsonAnswer(`  \n${JSON.stringify(PLAN)}\n`, PlanSchema)).toEqual({ ok: true, value: PLAN });
  });

  it('reads a ```json fence, and a bare ``` fence', () => {
    expect(parseJsonAnswer('```json\n' + json + '\n```', PlanSchema)).toEqual({ ok: true, value: PLAN });
    expect(parseJsonAnswer('```\n' + json + '\n```\n', PlanSchema)).toEqual({ ok: true, value: PLAN });
  });

  it('reads the object out of prose around it, fenced or not', () => {
    expect(parseJsonAnswer(`Here is the plan:\n\n${json}\n\nLet me know if you want changes.`, PlanSchema)).toEqual({ ok: true, value: PLAN });
    expect(parseJsonAnswer(`Sure! Here it is:\n\`\`\`json\n${json}\n\`\`\`\nThis plan keeps it small.`, PlanSchema)).toEqual({ ok: true, value: PLAN });
  });

  it('gives the fenced object, not braces in the prose after it', () => {
    const answer = `\`\`\`json\n${json}\n\`\`\`\nUse it like {this}.`;
    expect(parseJsonAnswer(answer, PlanSchema)).toEqual({ ok: true, value: PLAN });
  });

  it('reads a plan without run_command and scenarios (stored before them, or a loose model) with their defaults', () => {
    const { run_command: _run, scenarios: _sc, ...old } = PLAN;
    expect(parseJsonAnswer(JSON.stringify(old), PlanSchema)).toEqual({ ok: true, value: PLAN });
    const web = { ...old, run_command: 'node server.js', scenarios: [{ name: 'adds', steps: ['open /', 'click Add'] }] };
    expect(parseJsonAnswer(JSON.stringify(web), PlanSchema)).toEqual({ ok: true, value: web });
    const tooMany = { ...web, scenarios: Array.from({ length: 6 }, () => web.scenarios[0]) };
    expect(parseJsonAnswer(JSON.stringify(tooMany), PlanSchema).ok).toBe(false);
  });

  it('returns the schema-parsed value (zod transforms applied)', () => {
    const padded = { ...PLAN, summary: '  Adds numbers.  ' };
    expect(parseJsonAnswer(JSON.stringify(padded), PlanSchema)).toEqual({ ok: true, value: PLAN });
  });

  it('says when there is no JSON object at all', () => {
    expect(parseJsonAnswer('I could not plan this, sorry.', PlanSchema)).toEqual({ ok: false, problem: 'there is no JSON object in it' });
    expect(parseJsonAnswer('', PlanSchema)).toEqual({ ok: false, problem: 'there is no JSON object in it' });
    expect(parseJsonAnswer('} backwards {', PlanSchema)).toEqual({ ok: false, problem: 'there is no JSON object in it' });
  });

  it('says when the JSON is invalid, with the parser message', () => {
    const r = parseJsonAnswer('{"summary": "x", "files": [}', PlanSchema);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toMatch(/^it is not valid JSON \(.+\)$/);
    const trailing = parseJsonAnswer('{"summary": "x",}', PlanSchema);
    expect(trailing.ok === false && trailing.problem.startsWith('it is not valid JSON')).toBe(true);
  });

  it('names the paths that do not match the schema', () => {
    const r = parseJsonAnswer(JSON.stringify({ summary: 'x', language: 'js', files: [{ path: '', purpose: 'p' }], test_command: 'npm test' }), PlanSchema);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problem.split('; ').map((p) => p.slice(0, p.indexOf(':')));
    expect(paths).toEqual(['files.0.path', 'acceptance']);
  });

  it('names at most five issues', () => {
    const r = parseJsonAnswer('{"a": 1}', z.object({ b: z.string(), c: z.string(), d: z.string(), e: z.string(), f: z.string(), g: z.string(), h: z.string() }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.split('; ').map((p) => p.slice(0, p.indexOf(':')))).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  it('names the root when the whole object is wrong', () => {
    const r = parseJsonAnswer('{"a": 1, "b": 2}', z.object({ a: z.number() }).strict());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.startsWith('(root): ')).toBe(true);
  });
});
