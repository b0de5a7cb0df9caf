import { describe, expect, it } from 'vitest';
import { chunkFile, extractSymbols, tokenize } from '../../electron/core/retrieval/index.js';

describe('tokenize', () => {
  it('splits camelCase, PascalCase, acronyms, snake_case and kebab-case, and lower-cases', () => {
    expect(tokenize('parseHTTPResponse')).toEqual(['pars', 'http', 'respons', 'parsehttpresponse']);
    expect(tokenize('max_retry_count')).toEqual(['max', 'retr', 'count', 'maxretrycount']);
    expect(tokenize('rate-limit')).toEqual(['rat', 'limit', 'ratelimit']);
  });

  it('drops stop words, one-letter tokens and bare numbers', () => {
    expect(tokenize('the x of a 42 token')).toEqual(['token']);
    expect(tokenize('const value = function () { return null }')).toEqual(['valu']);
  });

  it('maps the forms of a word to one term, so prompts meet code', () => {
    const term = (w: string) => tokenize(w)[0];
    expect(term('expiry')).toBe(term('expires'));
    expect(term('expired')).toBe(term('expires'));
    expect(term('connection')).toBe(term('connect'));
    expect(term('connections')).toBe(term('connected'));
    expect(term('todos')).toBe(term('todo'));
    expect(term('users')).toBe(term('user'));
    expect(term('class')).toBe('class');
  });

  it('keeps non-ASCII words', () => {
    expect(tokenize('größe der Datei')).toEqual(['größ', 'der', 'datei']);
  });
});

describe('chunkFile', () => {
  const lines = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i + 1)).join('\n');

  it('keeps a short file whole', () => {
    const content = lines(50, (i) => `line ${i}`);
    expect(chunkFile('a.js', content)).toEqual([{ path: 'a.js', startLine: 1, endLine: 50, text: content }]);
  });

  it('covers a long file with overlapping chunks no longer than maxLines', () => {
    const content = lines(1000, (i) => `    statement(${i});`);
    const chunks = chunkFile('big.js', content, { maxLines: 60, minLines: 40, overlapLines: 10 });
    expect(chunks[0].startLine).toBe(1);
    expect(chunks[chunks.length - 1].endLine).toBe(1000);
    for (const [i, c] of chunks.entries()) {
      expect(c.endLine - c.startLine + 1).toBeLessThanOrEqual(60);
      expect(c.text.split('\n')).toHaveLength(c.endLine - c.startLine + 1);
      if (i > 0) expect(c.startLine).toBe(chunks[i - 1].endLine - 10 + 1); // 10 lines of overlap
    }
  });

  it('cuts before a top-level declaration near the end of a window', () => {
    const fn = (name: string, body: number) => [`function ${name}() {`, ...Array.from({ length: body }, (_, i) => `  step${i}();`), '}'];
    const content = [...fn('first', 50), ...fn('second', 50)].join('\n');
    const chunks = chunkFile('two.js', content, { maxLines: 80, minLines: 40, overlapLines: 0 });
    expect(chunks[0].endLine).toBe(52);
    expect(chunks[1].text.startsWith('function second')).toBe(true);
  });
});

describe('extractSymbols', () => {
  it.each([
    ['js function and class', 'export async function loadUser(id) {}\nclass UserStore extends Base {}\n', ['loadUser', 'UserStore']],
    ['js top-level const and arrow', 'export const MAX_USERS = 5;\nconst formatName = (u) => u.name;\n  const local = 1;\n', ['MAX_USERS', 'formatName']],
    ['class methods, not control flow', 'class A {\n  async save(item) {\n    if (item) {\n    }\n  }\n  static from(x): A {\n  }\n}\n', ['save', 'from']],
    ['ts interface, type, enum', 'export interface TaskSpec {}\ntype Id = string;\nexport enum Level { A }\n', ['TaskSpec', 'Id', 'Level']],
    ['python def and class', 'class TodoReport:\n    def write_csv(self, out):\n        pass\n\nasync def main():\n    pass\n', ['TodoReport', 'write_csv', 'main']],
    ['go func, method and type', 'func Serve(addr string) error {}\nfunc (s *Server) Close() {}\ntype Server struct {}\n', ['Serve', 'Close', 'Server']],
    ['rust fn, struct, trait', 'pub fn parse_args() {}\npub(crate) async fn run() {}\nstruct Config {}\ntrait Store {}\n', ['parse_args', 'run', 'Config', 'Store']],
    ['sql table', 'CREATE TABLE IF NOT EXISTS todos (\n  id BIGSERIAL\n);\n', ['todos']],
  ])('%s', (_name, content, expected) => {
    expect(extractSymbols(content)).toEqual(expected);
  });
});
