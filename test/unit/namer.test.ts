import { describe, expect, it } from 'vitest';
import { describeNamedBlocks, foldFileOps, nameCodeBlocks, namedBlockOps } from '../../electron/core/files/index.js';

const fence = (lang: string, ...lines: string[]) => ['```' + lang, ...lines, '```'].join('\n');
const names = (answer: string) => nameCodeBlocks(answer).map((b) => b.path);

describe('naming code blocks of an answer that names no file', () => {
  it('python: an entry point is main.py, a class gives its module name, else snippet-N.py', () => {
    expect(names(fence('python', 'if __name__ == "__main__":', '    run()'))).toEqual(['main.py']);
    expect(names(fence('python', 'def main():', '    pass'))).toEqual(['main.py']);
    expect(names(fence('python', 'class MatrixOps:', '    pass'))).toEqual(['matrix_ops.py']);
    expect(names([fence('py', 'x = 1'), fence('python', 'y = 2')].join('\n\n'))).toEqual(['snippet-1.py', 'snippet-2.py']);
  });

  it('web: index.html, and the css/js names the page links to', () => {
    const page = fence('html', '<!DOCTYPE html>', '<link href="css/app.css" rel="stylesheet">', '<script src="game.js"></script>');
    expect(names([page, fence('css', 'a{}'), fence('javascript', 'let x = 1;')].join('\n'))).toEqual(['index.html', 'css/app.css', 'game.js']);
    expect(names(fence('css', 'a{}'))).toEqual(['style.css']);
  });

  it('classes and entry points in other languages, config files by their shape', () => {
    expect(names(fence('java', 'public class Greeter {', '}'))).toEqual(['Greeter.java']);
    expect(names(fence('go', 'package main', 'func main() {}'))).toEqual(['main.go']);
    expect(names(fence('rust', 'fn main() {}'))).toEqual(['main.rs']);
    expect(names(fence('tsx', 'export default function App() {', '  return null;', '}'))).toEqual(['App.tsx']);
    expect(names(fence('json', '{"name": "app", "version": "1.0.0", "scripts": {}}'))).toEqual(['package.json']);
    expect(names(fence('json', '{"compilerOptions": {}}'))).toEqual(['tsconfig.json']);
    expect(names(fence('dockerfile', 'FROM node:20'))).toEqual(['Dockerfile']);
    expect(names(fence('yaml', 'services:', '  web: {}'))).toEqual(['docker-compose.yml']);
  });

  it('an unlabelled block is named only when its content is code', () => {
    expect(names(fence('', '<!DOCTYPE html>', '<p>hi</p>'))).toEqual(['index.html']);
    expect(names(fence('', 'import os', 'def main():', '    print(os.getcwd())'))).toEqual(['main.py']);
    expect(names(fence('', 'total: 42', 'done'))).toEqual([]);
  });

  it('commands, sessions, output, diffs and printed tool calls are never files', () => {
    const answer = [
      fence('bash', 'pip install flask'),
      fence('console', '$ npm test'),
      fence('', '$ python main.py', 'hello'),
      fence('text', 'Hello, world!'),
      fence('diff', '-a', '+b'),
      fence('python', '>>> 1 + 1', '2'),
      fence('json', '{"name": "bash", "arguments": {"command": "ls"}}'),
    ].join('\n');
    expect(names(answer)).toEqual([]);
    expect(names('A plain answer: use a dict comprehension, `{k: v for k, v in pairs}`.')).toEqual([]);
  });

  it('the same name twice gets a suffix; a cut-off block is not named', () => {
    expect(names([fence('html', '<p>a</p>'), fence('html', '<p>b</p>'), '```python\ndef main():'].join('\n'))).toEqual(['index.html', 'index-2.html']);
  });

  it('named blocks become ordinary file ops, and the message lists the names', () => {
    const blocks = nameCodeBlocks(fence('python', 'def main():', '    pass'));
    expect(foldFileOps(namedBlockOps(blocks)).files).toEqual([{ path: 'main.py', content: 'def main():\n    pass\n', truncated: false }]);
    expect(describeNamedBlocks(blocks)).toMatch(/named no file.*main\.py/);
  });

  it('adversarial answers: a lone command or inline code writes nothing; two main.py never overwrite each other', () => {
    expect(names(fence('', 'npm install express'))).toEqual([]);
    expect(names(fence('bash', 'rm -rf build && python main.py'))).toEqual([]);
    expect(names('Run `python main.py` and then `pytest`.')).toEqual([]);
    const two = [fence('python', 'def main():', '    print(1)'), fence('python', 'def main():', '    print(2)')].join('\n\n');
    expect(names(two)).toEqual(['main.py', 'main-2.py']);
  });

  it('names already in the project are not reused (a follow-up answer does not silently replace them)', () => {
    const answer = [fence('python', 'def main():', '    pass'), fence('py', 'x = 1'), fence('css', 'a{}')].join('\n');
    const existing = new Set(['main.py', 'main-2.py', 'snippet-1.py', 'style.css']);
    expect(nameCodeBlocks(answer, existing).map((b) => b.path)).toEqual(['main-3.py', 'snippet-2.py', 'style-2.css']);
  });

  it('a name taken from a page link is a workspace path or not used at all', () => {
    const page = fence('html', '<!DOCTYPE html>', '<link href="../../outside.css" rel="stylesheet">', '<script src="/etc/x.js"></script>');
    const out = names([page, fence('css', 'a{}'), fence('javascript', 'let x = 1;')].join('\n'));
    expect(out).toEqual(['index.html', 'style.css', 'snippet-1.js']);
  });

  it('100,000 blocks with the same name are named in linear time', () => {
    const one = fence('python', 'def main():', '    pass') + '\n';
    const t = performance.now();
    const n = nameCodeBlocks(one.repeat(100_000));
    const ms = performance.now() - t;
    console.log(`namer, 100,000 blocks all main.py: ${ms.toFixed(0)} ms`);
    expect(n).toHaveLength(100_000);
    expect(new Set(n.map((b) => b.path)).size).toBe(100_000);
    expect(ms).toBeLessThan(5000);
  });
});
