// Issue 18 §5: the project model options popover's fields → what is sent, or why not.
import { describe, expect, it } from 'vitest';
import { draftOf, modelOptionsSummary, parseModelOptionsDraft } from '../../renderer/src/lib/model-options-draft.js';

describe('parseModelOptionsDraft', () => {
  it('empty fields are the defaults', () => {
    expect(parseModelOptionsDraft({ temperature: ' ', systemPrompt: '  ' })).toEqual({ ok: true, options: { temperature: null, systemPrompt: '' } });
  });
  it('reads a temperature (a comma too) and trims the prompt', () => {
    expect(parseModelOptionsDraft({ temperature: '0,7', systemPrompt: ' Use tabs. ' })).toEqual({ ok: true, options: { temperature: 0.7, systemPrompt: 'Use tabs.' } });
    expect(parseModelOptionsDraft({ temperature: '.5', systemPrompt: '' })).toMatchObject({ ok: true, options: { temperature: 0.5 } });
  });
  it('says why a value cannot be sent', () => {
    expect(parseModelOptionsDraft({ temperature: '2.5', systemPrompt: '' })).toMatchObject({ ok: false, errors: { temperature: expect.stringMatching(/2 at most/) } });
    expect(parseModelOptionsDraft({ temperature: '-1', systemPrompt: '' })).toMatchObject({ ok: false, errors: { temperature: expect.stringMatching(/0 to 2/) } });
    expect(parseModelOptionsDraft({ temperature: 'warm', systemPrompt: '' })).toMatchObject({ ok: false });
    expect(parseModelOptionsDraft({ temperature: '', systemPrompt: 'x'.repeat(4001) })).toMatchObject({ ok: false, errors: { systemPrompt: expect.stringMatching(/4,000 at most/) } });
  });
  it('round-trips the stored options and labels the button', () => {
    expect(draftOf({ temperature: 0.2, systemPrompt: 'p' })).toEqual({ temperature: '0.2', systemPrompt: 'p' });
    expect(draftOf(undefined)).toEqual({ temperature: '', systemPrompt: '' });
    expect(modelOptionsSummary({ temperature: 0.2, systemPrompt: 'p' })).toBe('t 0.2 · prompt');
    expect(modelOptionsSummary({ temperature: null, systemPrompt: '' })).toBeNull();
  });
});

describe('PATCH /v1/projects/{id} with model_options', () => {
  it('is read into projects.update modelOptions, and a bad temperature is refused', async () => {
    const { parseProjectPatch } = await import('../../electron/server/rest/project-body.js');
    expect(parseProjectPatch({ model_options: { temperature: 0.3, systemPrompt: 'x' } })).toEqual({ modelOptions: { temperature: 0.3, systemPrompt: 'x' } });
    expect(parseProjectPatch({ pinned: true })).toEqual({ pinned: true });
    expect(() => parseProjectPatch({ model_options: { temperature: 9, systemPrompt: '' } })).toThrow();
  });
});
