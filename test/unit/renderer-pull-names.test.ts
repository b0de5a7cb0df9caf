// Issue 18 §1: pull any model by name; typing "family:" suggests the tags installed and common sizes.
import { describe, expect, it } from 'vitest';
import { pullNameProblem, pullSuggestions } from '../../renderer/src/lib/pull-names.js';

const installed = ['qwen2.5-coder:7b', 'qwen2.5-coder:1.5b', 'llama3.2:3b', 'mistral'];
const curated = ['qwen2.5-coder:14b', 'deepseek-coder-v2:16b', 'codellama:7b'];

describe('pullSuggestions', () => {
  it('after "family:" offers the installed tags first, then curated and common sizes', () => {
    const s = pullSuggestions('qwen2.5-coder:', installed, curated);
    expect(s.slice(0, 3)).toEqual(['qwen2.5-coder:7b', 'qwen2.5-coder:1.5b', 'qwen2.5-coder:14b']);
    expect(s).toContain('qwen2.5-coder:32b');
    expect(s).toContain('qwen2.5-coder:latest');
    expect(new Set(s).size).toBe(s.length);
  });

  it('narrows by what follows the colon', () => {
    expect(pullSuggestions('qwen2.5-coder:1', installed, curated)).toEqual(['qwen2.5-coder:1.5b', 'qwen2.5-coder:14b', 'qwen2.5-coder:1b']);
    expect(pullSuggestions('Mistral:la', installed, curated)).toEqual(['mistral:latest']);
  });

  it('before a colon offers the families that start with the text', () => {
    expect(pullSuggestions('qw', installed, curated)).toEqual(['qwen2.5-coder:']);
    expect(pullSuggestions('', installed, curated)).toEqual(['qwen2.5-coder:', 'llama3.2:', 'mistral:', 'deepseek-coder-v2:', 'codellama:']);
  });

  it('an unknown family still gets the common sizes', () => {
    expect(pullSuggestions('phi4:', installed, curated)[0]).toBe('phi4:latest');
  });
});

describe('pullNameProblem', () => {
  it('accepts names Ollama pulls', () => {
    for (const ok of ['qwen2.5-coder:7b', 'llama3.2', 'hf.co/bartowski/Qwen2.5-Coder-7B-GGUF:Q4_K_M', 'library/llama3.2:3b', ' gemma3:4b ']) expect(pullNameProblem(ok)).toBeNull();
  });
  it('says why a name cannot be pulled', () => {
    expect(pullNameProblem('')).toMatch(/Type a model name/);
    expect(pullNameProblem('qwen2.5-coder:')).toMatch(/Add a tag/);
    expect(pullNameProblem('qwen coder')).toMatch(/no spaces/);
    expect(pullNameProblem('a:b:c')).toMatch(/One colon/);
    expect(pullNameProblem('qwen$:7b')).toMatch(/Letters, digits/);
  });
});
