import { describe, expect, it } from 'vitest';
import { RetrievalIndex, rankFiles } from '../../electron/core/retrieval/index.js';
import { loadFixtureRepo } from './retrieval-helpers.js';

const repo = loadFixtureRepo();
const top = (prompt: string, n: number) => rankFiles(repo, prompt).slice(0, n).map((r) => r.path);

describe('rankFiles over the fixture repository', () => {
  it('has the fixture it is meant to have', () => {
    expect(repo.length).toBeGreaterThanOrEqual(15);
    expect(repo.map((f) => f.path)).toContain('src/auth/token.js');
  });

  it.each([
    ['fix the login token expiry', 'src/auth/token.js'],
    ['the database connection leaks', 'src/db/pool.js'],
    ['passwords are stored with a weak hash', 'src/auth/password.js'],
    ['rate limit is too strict for /todos requests', 'src/middleware/rate-limit.js'],
    ['the CSV export report is missing the owner email', 'scripts/export_report.py'],
    ['delete completed todos older than 30 days fails', 'scripts/cleanup_done.py'],
    ['requireAuth rejects valid bearer headers', 'src/middleware/require-auth.js'],
    ['title validation should allow 500 characters', 'src/routes/todos.js'],
  ])('"%s" → %s first', (prompt, expected) => {
    expect(top(prompt, 1)).toEqual([expected]);
  });

  it.each([
    ['add a due date to todos', 'src/db/migrations/002_create_todos.sql'],
    ['add a due date to todos', 'src/routes/todos.js'],
    ['users can register twice with the same email', 'src/routes/auth.js'],
    ['users can register twice with the same email', 'src/db/migrations/001_create_users.sql'],
  ])('"%s" → %s in the top 3', (prompt, expected) => {
    expect(top(prompt, 3)).toContain(expected);
  });

  it('says why a file ranks, in the prompt words', () => {
    const [first] = rankFiles(repo, 'verifyToken accepts expired tokens');
    expect(first.path).toBe('src/auth/token.js');
    expect(first.reasons).toContain('defines verifyToken');
    expect(first.reasons.some((r) => r.startsWith('text:') && r.includes('expired'))).toBe(true);
    expect(first.reasons.some((r) => r.startsWith('path:'))).toBe(true);
  });

  it('weighs instruction words down: "add" does not make an argparse script the best match', () => {
    expect(top('add a due date to todos', 1)).not.toEqual(['scripts/cleanup_done.py']);
  });

  it('returns every file, unrelated ones last with score 0 and no reasons', () => {
    const ranked = rankFiles(repo, 'the database connection leaks');
    expect(ranked).toHaveLength(repo.length);
    const last = ranked[ranked.length - 1];
    expect(last.score).toBe(0);
    expect(last.reasons).toEqual([]);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].score).toBeGreaterThanOrEqual(ranked[i].score);
  });

  it('gives nothing a score for an empty or stop-word-only prompt', () => {
    expect(rankFiles(repo, '').every((r) => r.score === 0)).toBe(true);
    expect(rankFiles(repo, 'the of and to').every((r) => r.score === 0)).toBe(true);
  });
});

describe('boosts', () => {
  const filler = (n: number, name: string) => Array.from({ length: n }, (_, i) => `  const ${name}${i} = compute${name}(${i}, options.mode);`).join('\n');

  it('symbol matches: the file that defines a named identifier beats the files that only call it', () => {
    const files = [
      { path: 'lib/helpers.js', content: `// Assorted helpers.\n${filler(120, 'value')}\nexport function normalizeEmail(address) {\n  return address.trim().toLowerCase();\n}\n${filler(60, 'other')}` },
      {
        path: 'src/signup.js',
        content: `import { normalizeEmail } from '../lib/helpers.js';\n// Gmail-style plus addressing (a+b@example.com) must survive: only case and spaces change.\nexport function signup(form) {\n  const email = normalizeEmail(form.email);\n  if (normalizeEmail(form.confirm) !== email) throw new Error('emails differ');\n  return normalizeEmail(email);\n}\n`,
      },
      { path: 'src/invite.js', content: `import { normalizeEmail } from '../lib/helpers.js';\nexport const invite = (to) => send(normalizeEmail(to));\n` },
    ];
    const prompt = 'normalizeEmail drops plus addressing';
    // Without the boost the caller that talks about the same words wins: the boost is what fixes it.
    expect(rankFiles(files, prompt, { weights: { symbol: 0 } })[0].path).toBe('src/signup.js');
    const [first] = rankFiles(files, prompt);
    expect(first.path).toBe('lib/helpers.js');
    expect(first.reasons).toContain('defines normalizeEmail');
  });

  it('symbol matches: a phrase in the prompt finds a snake_case definition', () => {
    const files = [
      { path: 'app/util.py', content: `import re\n\n\ndef parse_due_date(text):\n    return re.match(r"\\d+", text)\n` },
      { path: 'app/views.py', content: `from .util import parse_due_date\n\n\ndef show(request):\n    due = parse_due_date(request.GET["due"])\n    return render(due, date=due)\n` },
    ];
    const ranked = rankFiles(files, 'parse due date breaks on ISO dates');
    expect(ranked[0].path).toBe('app/util.py');
    expect(ranked[0].reasons).toContain('defines parse_due_date');
    expect(rankFiles(files, 'parse due date breaks on ISO dates', { weights: { symbol: 0 } })[0].path).toBe('app/views.py');
  });

  it('path matches: a prompt word in the file name lifts it over a file that only mentions the word', () => {
    const files = [
      { path: 'src/billing/invoice.ts', content: `export function computeTotals(lines: Line[]): Totals {\n  const net = lines.reduce((s, l) => s + l.amount, 0);\n  return { net, tax: Math.round(net * 0.2) };\n}\n` },
      { path: 'src/reports/summary.ts', content: `// Monthly summary: how many invoice documents were sent, and which invoice failed.\nexport function summarize(months: Month[]) {\n  return months.map((m) => ({ month: m.name, sent: m.sent }));\n}\n` },
    ];
    expect(rankFiles(files, 'invoice amounts are wrong', { weights: { path: 0 } })[0].path).toBe('src/reports/summary.ts');
    const [first] = rankFiles(files, 'invoice amounts are wrong');
    expect(first.path).toBe('src/billing/invoice.ts');
    expect(first.reasons).toContain('path: invoice');
  });

  it('test files are damped unless the prompt is about tests', () => {
    const files = [
      { path: 'src/cart.js', content: 'export function cartTotal(items) { return items.reduce((s, i) => s + i.price, 0); }\n' },
      { path: 'test/cart.test.js', content: "test('cart total', () => { expect(cartTotal([{ price: 2 }])).toBe(2); expect(cartTotal([])).toBe(0); });\n" },
    ];
    expect(rankFiles(files, 'cart total is off by one')[0].path).toBe('src/cart.js');
    expect(rankFiles(files, 'cart total is off by one').find((r) => r.path === 'test/cart.test.js')?.reasons).toContain('test file');
    expect(rankFiles(files, 'add a test for the cart total').find((r) => r.path === 'test/cart.test.js')?.reasons).not.toContain('test file');
  });
});

describe('RetrievalIndex', () => {
  it('follows edits: upsert replaces a file, remove forgets it and its symbols', () => {
    const index = new RetrievalIndex();
    for (const f of repo) index.upsert(f);
    expect(index.size).toBe(repo.length);
    expect(index.rank('the database connection leaks')[0].path).toBe('src/db/pool.js');

    index.upsert({ path: 'src/db/pool.js', content: '// emptied\n' });
    expect(index.rank('the database connection leaks')[0].path).not.toBe('src/db/pool.js');
    expect(index.size).toBe(repo.length);

    expect(index.rank('verifyToken')[0].reasons).toContain('defines verifyToken');
    index.remove('src/auth/token.js');
    expect(index.has('src/auth/token.js')).toBe(false);
    const ranked = index.rank('verifyToken');
    expect(ranked.map((r) => r.path)).not.toContain('src/auth/token.js');
    expect(ranked.some((r) => r.reasons.includes('defines verifyToken'))).toBe(false);
  });
});
