// Error fingerprints: what changes between runs (ports, numbers, ids, temp folders, line
// numbers) does not change the id; what tells errors apart (message, source, top frame) does.
import { describe, expect, it } from 'vitest';
import { errorsFromServerOutput, FingerprintBook, fingerprintOf, framesOf, normaliseMessage } from '../../electron/core/preview/fingerprints.js';
import type { RunErrorReport } from '../../electron/core/preview/index.js';

const project = { root: '/home/ana/shop', has: (rel: string) => ['src/app.js', 'src/list.js', 'app.py', 'index.html'].includes(rel) };

function report(partial: Partial<RunErrorReport>): RunErrorReport {
  return { source: 'page', message: 'boom', stack: null, where: null, at: 1000, ...partial };
}

describe('normaliseMessage', () => {
  it('replaces ports, numbers, hex ids, uuids and absolute folders', () => {
    expect(normaliseMessage('GET http://127.0.0.1:51234/api/items/42 answered 500')).toBe('GET <local>/api/items/N answered N');
    expect(normaliseMessage('object 0x7ffde3a0 at 9f86d081884c7d65 id 123e4567-e89b-12d3-a456-426614174000')).toBe('object <hex> at <hex> id <id>');
    expect(normaliseMessage("ENOENT: no such file, open '/tmp/macs-run-a1b2/shop/data/db.json'")).toBe("ENOENT: no such file, open '<path>/data/db.json'");
    expect(normaliseMessage('ENOENT /var/tmp/other-9/shop/data/db.json')).toBe(normaliseMessage('ENOENT /home/ana/x/data/db.json'));
    // Words are not hex ids; short URL paths stay as they are.
    expect(normaliseMessage('deadbeef is not a function in /api/items')).toBe('deadbeef is not a function in /api/items');
  });
});

describe('framesOf', () => {
  it('reads V8, Firefox and Python stacks, innermost first', () => {
    expect(framesOf('TypeError: x\n    at addItem (http://127.0.0.1:5000/src/app.js:10:5)\n    at HTMLButtonElement.<anonymous> (http://127.0.0.1:5000/src/list.js:3:1)')[0]).toEqual({
      fn: 'addItem',
      file: 'http://127.0.0.1:5000/src/app.js',
    });
    expect(framesOf('addItem@http://127.0.0.1:5000/src/app.js:10:5\n@http://127.0.0.1:5000/src/list.js:3:1')[0]!.fn).toBe('addItem');
    const py = 'Traceback (most recent call last):\n  File "/srv/app.py", line 9, in <module>\n    main()\n  File "/srv/app.py", line 4, in main\n    1/0\nZeroDivisionError: division by zero';
    expect(framesOf(py)[0]).toEqual({ fn: 'main', file: '/srv/app.py' });
  });
});

describe('fingerprintOf', () => {
  const stackAt = (port: number, line: number) => `TypeError: Cannot read properties of undefined (reading 'push')\n    at addItem (http://127.0.0.1:${port}/src/app.js:${line}:5)\n    at onClick (http://127.0.0.1:${port}/src/list.js:3:1)`;

  it('is the same across ports, line numbers and counts in the message', () => {
    const a = fingerprintOf(report({ message: "Cannot read properties of undefined (reading 'push') at row 3", stack: stackAt(5000, 10) }), project);
    const b = fingerprintOf(report({ message: "Cannot read properties of undefined (reading 'push') at row 7", stack: stackAt(6123, 14) }), project);
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(a.files).toEqual(['src/app.js', 'src/list.js']);
  });

  it('differs by message, source and top frame', () => {
    const base = fingerprintOf(report({ message: 'x is not defined', stack: stackAt(5000, 10) }), project).id;
    expect(fingerprintOf(report({ message: 'y is not defined', stack: stackAt(5000, 10) }), project).id).not.toBe(base);
    expect(fingerprintOf(report({ source: 'console', message: 'x is not defined', stack: stackAt(5000, 10) }), project).id).not.toBe(base);
    const otherTop = stackAt(5000, 10).replace('addItem', 'removeItem');
    expect(fingerprintOf(report({ message: 'x is not defined', stack: otherTop }), project).id).not.toBe(base);
  });

  it('names only files that exist in the project, relative, from sandbox paths, URLs and where', () => {
    const py = 'Traceback (most recent call last):\n  File "/workspace/app.py", line 9, in <module>\n  File "/usr/lib/python3/json/decoder.py", line 4, in decode\nValueError: bad';
    expect(fingerprintOf(report({ source: 'server', message: 'ValueError: bad', stack: py }), project).files).toEqual(['app.py']);
    expect(fingerprintOf(report({ source: 'request', message: 'GET /missing.png answered 404', where: 'http://127.0.0.1:5000/index.html' }), project).files).toEqual(['index.html']);
    expect(fingerprintOf(report({ message: 'at /home/ana/shop/src/list.js:3', stack: null }), project).files).toEqual(['src/list.js']);
    expect(fingerprintOf(report({ message: 'nothing here', stack: '    at x (/home/ana/shop/node_modules/lib/index.js:1:1)' }), project).files).toEqual([]);
  });
});

describe('FingerprintBook', () => {
  it('dedupes, counts, keeps first/last time and the newest wording, and counts fix attempts', () => {
    const book = new FingerprintBook(project);
    const first = book.add(report({ message: 'GET /api/items/1 answered 500', source: 'request', at: 10 }));
    const again = book.add(report({ message: 'GET /api/items/2 answered 500', source: 'request', at: 20 }));
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ count: 2, firstAt: 10, lastAt: 20, message: 'GET /api/items/2 answered 500', fixAttempts: 0 });
    book.add(report({ message: 'other', at: 30 }));
    expect(book.list().map((f) => f.count)).toEqual([1, 2]);
    expect(book.noteFixAttempt(first.id)!.fixAttempts).toBe(1);
    expect(book.noteFixAttempt(first.id)!.fixAttempts).toBe(2);
    expect(book.get(first.id)!.fixAttempts).toBe(2);
    expect(book.noteFixAttempt('nope')).toBeNull();
  });

  it('keeps the 50 most recently seen, and carries earlier fingerprints over', () => {
    const book = new FingerprintBook(project);
    const keep = book.add(report({ message: 'the first one', at: 0 }));
    for (let i = 0; i < 60; i++) {
      book.add(report({ message: `distinct error ${'x'.repeat(i)}`, at: i + 1 }));
      if (i === 40) book.add(report({ message: 'the first one', at: 100 }));
    }
    expect(book.size).toBe(50);
    expect(book.get(keep.id)!.count).toBe(2);
    const carried = new FingerprintBook(project, book.list());
    expect(carried.add(report({ message: 'the first one', at: 200 })).count).toBe(3);
  });
});

describe('errorsFromServerOutput', () => {
  it('finds a Node stack, a Python traceback and Error/ERROR lines', () => {
    const lines = [
      'Server listening on 3000',
      '/work/shop/server.js:12',
      "    items.push(req.body.name)",
      '',
      "TypeError: Cannot read properties of undefined (reading 'name')",
      '    at handle (/work/shop/server.js:12:25)',
      '    at Server.emit (node:events:519:28)',
      '',
      'Node.js v20.19.0',
      '127.0.0.1 - - [07/Dec/2026 02:00:00] "GET / HTTP/1.1" 200 -',
      '[2026-12-07 02:00:01,003] ERROR in app: Exception on /add [POST]',
      'Traceback (most recent call last):',
      '  File "/work/shop/app.py", line 20, in add',
      '    items.append(request.form["name"])',
      'KeyError: \'name\'',
      '\u001b[31mError: listen EADDRINUSE: address already in use :::3000\u001b[0m',
      'all fine',
      'npm error code ELIFECYCLE',
      'npm error Missing script: "dev"',
      'npm error',
    ];
    const found = errorsFromServerOutput(lines, 5);
    expect(found.map((r) => r.message)).toEqual([
      "TypeError: Cannot read properties of undefined (reading 'name')",
      "KeyError: 'name'",
      'Error: listen EADDRINUSE: address already in use :::3000',
      'npm error Missing script: "dev"',
    ]);
    expect(found.every((r) => r.source === 'server' && r.at === 5)).toBe(true);
    expect(found[0]!.stack).toContain('at handle (/work/shop/server.js:12:25)');
    expect(found[0]!.where).toBe('/work/shop/server.js');
    expect(found[1]!.stack).toMatch(/^Traceback[\s\S]*line 20, in add[\s\S]*KeyError/);
    expect(found[1]!.where).toBe('/work/shop/app.py');
  });

  it('keeps a missing module with its require stack, and a Python syntax error without a Traceback header', () => {
    const found = errorsFromServerOutput([
      'node:internal/modules/cjs/loader:1143',
      '  throw err;',
      '  ^',
      '',
      "Error: Cannot find module 'express'",
      'Require stack:',
      '- /work/shop/server.js',
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1140:15)',
      '    at Object.<anonymous> (/work/shop/server.js:1:17) {',
      "  code: 'MODULE_NOT_FOUND',",
      '}',
      '  File "/work/shop/app.py", line 3',
      '    def add(',
      '           ^',
      "SyntaxError: '(' was never closed",
    ]);
    expect(found.map((r) => r.message)).toEqual(["Error: Cannot find module 'express'", "SyntaxError: '(' was never closed"]);
    expect(found[0]!.stack).toContain('- /work/shop/server.js');
    expect(fingerprintOf(found[0]!, { root: '/work/shop', has: (r) => r === 'server.js' }).files).toEqual(['server.js']);
    expect(fingerprintOf(found[1]!, { root: '/work/shop', has: (r) => r === 'app.py' }).files).toEqual(['app.py']);
  });

  it('keeps the indented details of a dev server error line (Vite), and the file they name', () => {
    const found = errorsFromServerOutput([
      '2:04:11 AM [vite] Internal server error: Failed to resolve import "./Lis" from "src/App.jsx". Does the file exist?',
      '  Plugin: vite:import-analysis',
      '  File: /work/shop/src/App.jsx:3:17',
      '  1  |  import { useState } from "react";',
      '2:04:12 AM [vite] page reload src/App.jsx',
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]!.stack).toContain('File: /work/shop/src/App.jsx:3:17');
    expect(fingerprintOf(found[0]!, { root: '/work/shop', has: (r) => r === 'src/App.jsx' }).files).toEqual(['src/App.jsx']);
  });

  it('finds nothing in quiet output', () => {
    expect(errorsFromServerOutput(['Serving HTTP on 0.0.0.0 port 8000', 'GET /errors.html 200', 'compiled in 120ms, 0 errors: none', 'error handling middleware loaded'])).toEqual([]);
  });
});
