import { describe, expect, it } from 'vitest';
import { parsePlainStep, scenarioSlug, type StepAction } from '../../electron/core/preview/index.js';

function action(step: string): StepAction {
  const parsed = parsePlainStep(step);
  if (!parsed.ok) throw new Error(`not parsed: ${step}: ${parsed.reason}`);
  return parsed.action;
}

describe('web agent plain steps', () => {
  it('reads the documented forms', () => {
    expect(action('open /')).toEqual({ kind: 'open', path: '/' });
    expect(action('open /todos?x=1')).toEqual({ kind: 'open', path: '/todos?x=1' });
    expect(action('type milk into the input')).toEqual({ kind: 'type', text: 'milk', field: 'input' });
    expect(action('click Add')).toEqual({ kind: 'click', target: 'Add', role: null });
    expect(action('press Enter')).toEqual({ kind: 'press', key: 'Enter' });
    expect(action('expect the text milk in the list')).toEqual({ kind: 'expect-text', text: 'milk', place: 'list' });
    expect(action('expect the text milk')).toEqual({ kind: 'expect-text', text: 'milk', place: null });
    expect(action('expect no text milk')).toEqual({ kind: 'expect-no-text', text: 'milk' });
    expect(action('expect the title Todo')).toEqual({ kind: 'expect-title', text: 'Todo' });
  });

  it('is tolerant of quotes, articles, case, a trailing period and a role word', () => {
    expect(action('Type "buy milk" into the "New item" field.')).toEqual({ kind: 'type', text: 'buy milk', field: 'New item' });
    expect(action("type 'drag into place' into the title")).toEqual({ kind: 'type', text: 'drag into place', field: 'title' });
    expect(action('Click the "Add" button')).toEqual({ kind: 'click', target: 'Add', role: 'button' });
    expect(action('click on the Sign in link')).toEqual({ kind: 'click', target: 'Sign in', role: 'link' });
    expect(action('press the Add button')).toEqual({ kind: 'click', target: 'Add', role: 'button' });
    expect(action('press the enter key')).toEqual({ kind: 'press', key: 'Enter' });
    expect(action('press Control+A')).toEqual({ kind: 'press', key: 'Control+A' });
    expect(action('EXPECT THE TEXT “milk” IN THE LIST')).toEqual({ kind: 'expect-text', text: 'milk', place: 'LIST' });
    expect(action('expect text "2 items left"')).toEqual({ kind: 'expect-text', text: '2 items left', place: null });
    expect(action('expect no text "milk"')).toEqual({ kind: 'expect-no-text', text: 'milk' });
    expect(action('expect the title to be "My Todos"')).toEqual({ kind: 'expect-title', text: 'My Todos' });
    expect(action('Go to /about')).toEqual({ kind: 'open', path: '/about' });
    expect(action('open the home page')).toEqual({ kind: 'open', path: '/' });
    expect(action('expect to see milk in the list')).toEqual({ kind: 'expect-text', text: 'milk', place: 'list' });
    expect(action('see "2 items left"')).toEqual({ kind: 'expect-text', text: '2 items left', place: null });
    expect(action('expect to see the title Todos')).toEqual({ kind: 'expect-title', text: 'Todos' });
  });

  it('reports what it does not understand instead of guessing', () => {
    for (const step of ['wait for the page to settle', 'open about', 'type milk', 'expect milk to appear', 'drag the card to Done', 'hit the road']) {
      const parsed = parsePlainStep(step);
      expect(parsed.ok, step).toBe(false);
      if (!parsed.ok) {
        expect(parsed.reason).toContain(`"${step}" is not understood`);
        expect(parsed.reason).toContain('expect the title <text>');
      }
    }
  });

  it('makes file-safe slugs', () => {
    expect(scenarioSlug('Adds an item!', 0)).toBe('adds-an-item');
    expect(scenarioSlug('../../etc', 1)).toBe('etc');
    expect(scenarioSlug('!!!', 2)).toBe('scenario-3');
  });
});
