import { describe, expect, it } from 'vitest';
import { scrubSecret } from '../../electron/core/llm/secret-text.js';
import { looksLikeKey } from '../../electron/core/providers/config-store.js';
import { syntaxWhere } from '../../electron/server/json-text.js';

const KEY = 'sk-test+key/with=odd"chars-12345';

describe('scrubSecret: every form a server may echo the key in', () => {
  it('removes the raw, URL-encoded, form-encoded and JSON-escaped key', () => {
    const echoed = [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1)].join(' | ');
    expect(scrubSecret(echoed, KEY)).toBe('[key hidden] | [key hidden] | [key hidden]');
    expect(scrubSecret(`x ${KEY} y`, KEY, '[gone]')).toBe('x [gone] y');
  });
  it('leaves text alone without a key (or with one too short to scrub safely)', () => {
    expect(scrubSecret('nothing', null)).toBe('nothing');
    expect(scrubSecret('a b c', 'b')).toBe('a b c');
  });
});

describe('looksLikeKey: a key pasted where a variable name belongs', () => {
  it.each(['gsk_CANARY7b1f0e9d8c7b6a5f4e3d2c1b0a9f8e', 'sk_proj_abc123def456ghi789', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'])('%s looks like a key', (v) => {
    expect(looksLikeKey(v)).toBe(true);
  });
  it.each(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'my_lmstudio_key_2024', 'AZURE_OPENAI_API_KEY_V2', 'GROQ_KEY'])('%s is a name', (v) => {
    expect(looksLikeKey(v)).toBe(false);
  });
});

describe('syntaxWhere: a JSON error says where, never what was there', () => {
  const v8 = (text: string) => {
    try {
      JSON.parse(text);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('parsed');
  };
  it('drops V8 quoting the body (which may be a key sent with a quoting slip)', () => {
    const message = syntaxWhere(v8('{"key":sk-live-abcdef123456}'));
    expect(message).not.toContain('sk-live');
    expect(message).toBe('an unexpected character (unquoted text where a value belongs?)');
  });
  it('keeps the position when V8 gives one', () => {
    expect(syntaxWhere(v8('{"a":1,}'))).toMatch(/^a syntax error at (line 1, column \d+ \(character 7\)|character 7)$/);
    expect(syntaxWhere('Unexpected end of JSON input')).toBe('it ends before the JSON is complete');
  });
});
