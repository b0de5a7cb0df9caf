// The pure parts of the API's guards: the JSON depth scan, the credential rules, the
// /metrics setting, and the events page's byte budget.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonText } from '../../electron/server/json-text.js';
import { authorize, identify, streamTokenFor, type Secrets } from '../../electron/server/rest/auth.js';
import { parseMetricsAccess } from '../../electron/server/rest/metrics.js';

const nest = (n: number, inner = '1') => '['.repeat(n) + inner + ']'.repeat(n);

describe('nestsDeeperThan', () => {
  it('counts brackets and braces, not what is inside strings (escaped quotes included)', () => {
    expect(nestsDeeperThan(nest(3), 3)).toBe(false);
    expect(nestsDeeperThan(nest(4), 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
    expect(nestsDeeperThan(`{"s":"${'['.repeat(1000)}"}`, 2)).toBe(false);
    // \" does not end the string, \\" does.
    expect(nestsDeeperThan(`["a\\"${'['.repeat(50)}"]`, 2)).toBe(false);
    expect(nestsDeeperThan(`["a\\\\"${'['.repeat(5)}`, 2)).toBe(true);
    // Siblings do not add up: depth, not count.
    expect(nestsDeeperThan(`[${Array.from({ length: 1000 }, () => '[[1]]').join(',')}]`, 3)).toBe(false);
  });

  it('leaves malformed text to JSON.parse: an unterminated string is not "deep"', () => {
    expect(nestsDeeperThan('["abc', 0)).toBe(true);
    expect(nestsDeeperThan('"abc', 0)).toBe(false);
  });

  it('is linear: 20 MB of string content scans in well under a second', () => {
    const big = JSON.stringify({ content: 'x'.repeat(20 * 1024 * 1024), more: [[[1]]] });
    const started = performance.now();
    expect(nestsDeeperThan(big, MAX_JSON_DEPTH)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('parseJsonText', () => {
  it('INVALID_JSON with the reason: too deep before parsing, or the parser’s syntax message', () => {
    expect(() => parseJsonText(nest(5000), 'The body')).toThrow(expect.objectContaining({ code: 'INVALID_JSON', details: { reason: 'too_deep', maxDepth: MAX_JSON_DEPTH } }));
    expect(() => parseJsonText('{"a": ', 'The body')).toThrow(expect.objectContaining({ code: 'INVALID_JSON', details: expect.objectContaining({ reason: 'syntax' }) }));
    expect(parseJsonText(nest(MAX_JSON_DEPTH - 1), 'The body')).toBeInstanceOf(Array);
  });
});

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('credentials', () => {
  const secrets: Secrets = { apiKey: () => 'the-api-key', uiToken: 'the-ui-token' };
  const url = (q = '') => new URL(`http://x/v1/stream/t1${q}`);

  it('the stream token is HMAC-SHA256(API key, label + task id), base64url: a new key revokes them all', () => {
    const expected = crypto.createHmac('sha256', 'the-api-key').update('macs-stream-token/v1:t1').digest('base64url');
    expect(streamTokenFor('the-api-key', 't1')).toBe(expected);
    expect(streamTokenFor('another-key', 't1')).not.toBe(expected);
    expect(streamTokenFor('the-api-key', 't2')).not.toBe(expected);
  });

  it('identify: the key in X-API-Key or as a Bearer, the UI token as a Bearer; anything sent and wrong is a 401', () => {
    expect(identify(req({ 'x-api-key': 'the-api-key' }), secrets)).toEqual({ kind: 'api-key' });
    expect(identify(req({ authorization: 'Bearer the-api-key' }), secrets)).toEqual({ kind: 'api-key' });
    expect(identify(req({ authorization: 'Bearer the-ui-token' }), secrets)).toEqual({ kind: 'ui-token' });
    expect(identify(req({}), secrets)).toEqual({ kind: 'anonymous' });
    const wrong: Record<string, string>[] = [{ 'x-api-key': 'the-ui-token' }, { authorization: 'Bearer nope' }, { authorization: 'Basic dXNlcjpwdw==' }, { 'x-api-key': '' }];
    for (const headers of wrong) {
      expect(() => identify(req(headers), secrets), JSON.stringify(headers)).toThrow(expect.objectContaining({ status: 401, code: 'UNAUTHORIZED' }));
    }
    // Without a UI (uiToken null) no Bearer but the key is accepted.
    expect(() => identify(req({ authorization: 'Bearer the-ui-token' }), { ...secrets, uiToken: null })).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('authorize: stream tokens only where access is "stream" and only for the task in the path', () => {
    const token = streamTokenFor('the-api-key', 't1');
    expect(authorize('stream', req({}), url(`?stream_token=${token}`), { id: 't1' }, secrets)).toEqual({ kind: 'stream-token', taskId: 't1' });
    expect(() => authorize('stream', req({}), url(`?stream_token=${token}`), { id: 't2' }, secrets)).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => authorize('read', req({}), url(`?stream_token=${token}`), { id: 't1' }, secrets)).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => authorize('write', req({ authorization: 'Bearer the-ui-token' }), url(), {}, secrets)).toThrow(expect.objectContaining({ message: expect.stringContaining('only reads') }));
    expect(authorize('read', req({ authorization: 'Bearer the-ui-token' }), url(), {}, secrets)).toEqual({ kind: 'ui-token' });
    expect(authorize('public', req({}), url(), {}, secrets)).toEqual({ kind: 'anonymous' });
  });
});

describe('MACS_METRICS', () => {
  it('key by default; open and off; anything else is refused (null)', () => {
    expect(parseMetricsAccess(undefined)).toBe('key');
    expect(parseMetricsAccess(' ')).toBe('key');
    expect(parseMetricsAccess('OPEN')).toBe('open');
    expect(parseMetricsAccess('off')).toBe('off');
    expect(parseMetricsAccess('public')).toBeNull();
  });
});
