// Query strings are validated like bodies, but a problem is named as a query parameter.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../electron/server/rest/task-routes.js';
import { RestError } from '../../electron/server/rest/http.js';

const Query = z.object({ limit: z.coerce.number().int().min(1).optional() }).strict();

function problems(query: string): unknown {
  try {
    parseQuery(Query, new URL(`http://x/v1/tasks?${query}`));
  } catch (err) {
    expect(err).toBeInstanceOf(RestError);
    return (err as RestError).details?.fields;
  }
  return null;
}

describe('parseQuery', () => {
  it('names an unknown parameter as such, not as "(body)"', () => {
    expect(problems('foo=1')).toEqual([{ path: '(query)', message: 'Unknown query parameter: foo.' }]);
    expect(problems('foo=1&bar=2')).toEqual([{ path: '(query)', message: 'Unknown query parameters: foo, bar.' }]);
  });

  it('names a bad value by its parameter', () => {
    expect(problems('limit=0')).toEqual([{ path: 'limit', message: expect.stringContaining('>=1') }]);
    expect(problems('limit=2')).toBeNull();
  });
});
