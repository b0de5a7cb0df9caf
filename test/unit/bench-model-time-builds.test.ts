import { describe, expect, it } from 'vitest';
import { changedLineTokens, modelTimeBuilds, scriptedModel } from '../../bench/fixtures/model-time-builds.js';
import { withBugs } from '../../bench/fixtures/model-time-projects.js';
import { renderChatTokens } from '../fixtures/ollama-standin/index.js';

const builds = modelTimeBuilds();
const ask = (user: string) => ({ messages: [{ role: 'system', content: 'You are MACS.' }, { role: 'user', content: user }] });

function answer(buildIndex: number, user: string): string {
  const { script } = scriptedModel(builds[buildIndex]);
  if (!script.reply) throw new Error('the scripted model has no reply');
  return script.reply(ask(user));
}

/** Applies SEARCH/REPLACE blocks the strict way: each SEARCH must occur exactly once. */
function applyBlocks(text: string, answerText: string): string {
  let out = text;
  for (const m of answerText.matchAll(/<<<<<<< SEARCH\n([^]*?)\n=======\n([^]*?)\n>>>>>>> REPLACE/g)) {
    expect(out.split(m[1]).length - 1).toBe(1);
    out = out.replace(m[1], m[2]);
  }
  return out;
}

describe('model time bench: the scripted builds', () => {
  it('has five builds of 3 to 12 files, the largest near 8k tokens of files', () => {
    expect(builds).toHaveLength(5);
    for (const b of builds) {
      expect(b.project.files.size).toBeGreaterThanOrEqual(3);
      expect(b.project.files.size).toBeLessThanOrEqual(12);
      expect(b.project.bugs).toHaveLength(2);
    }
    const largest = builds[4].project;
    const tokens = renderChatTokens([{ role: 'user', content: [...largest.files.values()].join('\n') }]).length;
    expect(tokens).toBeGreaterThan(6500);
    expect(tokens).toBeLessThan(9500);
  });

  it('implement writes exactly the files the request lists, with the bugs in', () => {
    const b = builds[1].project;
    const [first, second] = b.plan.map(([p]) => p);
    const text = answer(1, `Goal: x\n- ${first}: nope, this is the plan\n\nWrite these files now, each one complete:\n- ${second}: tests`);
    expect([...text.matchAll(/^File: (\S+)/gm)].map((m) => m[1])).toEqual([second]);
    expect(text).toContain(withBugs(b, second, b.bugs).trimEnd());
  });

  it('a fix round removes the first bug the report still shows: whole file unless blocks are asked for a long file', () => {
    const b = builds[4].project;
    const [bug1, bug2] = b.bugs;
    const report = (bugs: typeof b.bugs) => `Test report:\nFailures:\n${bugs.map((x) => `- ${x.marker} 42 for its sample`).join('\n')}`;

    const whole = answer(4, `The project's tests fail. Fix the code so that they pass.\n\n${report([bug1, bug2])}\n\nThe files involved:\nFile: ${bug1.path}`);
    expect(whole).toContain(withBugs(b, bug1.path, [bug2]).trimEnd());
    expect(whole).not.toContain('<<<<<<< SEARCH');

    const asked = `The project's tests fail. A file of up to 60 lines: write it in full. A longer file: send only the changed parts, as SEARCH/REPLACE blocks:\n<<<<<<< SEARCH\n=======\n>>>>>>> REPLACE\n`;
    const blocks = answer(4, `${asked}\n${report([bug2])}`);
    expect(blocks).toContain('<<<<<<< SEARCH');
    expect(applyBlocks(withBugs(b, bug2.path, [bug2]), blocks)).toBe(b.files.get(bug2.path));
    // Asked for just the changing lines, it sends just them (the line is unique); asked for context, one line either side.
    const search = (text: string) => /<<<<<<< SEARCH\n([^]*?)\n=======/.exec(text)?.[1].split('\n') ?? [];
    expect(search(blocks)).toEqual(bug2.buggy);
    const withContext = answer(4, `${asked}Include a few unchanged lines around the change.\n${report([bug2])}`);
    expect(search(withContext)).toHaveLength(bug2.buggy.length + 2);
    expect(applyBlocks(withBugs(b, bug2.path, [bug2]), withContext)).toBe(b.files.get(bug2.path));
    // A sentence before the files, unless the request asks for no explanation.
    expect(blocks.startsWith('The cause is in')).toBe(true);
    expect(answer(4, `${asked}Answer with the changes only, no explanation.\n${report([bug2])}`).startsWith('File: ')).toBe(true);
  });

  it('counts the changed lines of a fix as the lines removed and the lines added', () => {
    const bug = builds[0].project.bugs[1];
    expect(bug.correct).toHaveLength(1);
    expect(changedLineTokens(bug)).toBeGreaterThan(10);
  });
});
