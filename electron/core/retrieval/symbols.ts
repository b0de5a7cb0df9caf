// Which identifiers a file defines, by regular expression. A parser per language
// would be exact but heavy; for ranking, a declaration keyword followed by a name
// is right often enough, and a miss only costs a boost, never a wrong edit.

import { splitIdentifier, stemToken } from './tokenize.js';

const ID = '([A-Za-z_$][\\w$]*)';

// Each pattern's first group is the defined name. `m` so `^` anchors at each line.
const DEFINITION_PATTERNS: RegExp[] = [
  // JS/TS: function foo, export default async function* foo, class Foo, interface Foo, type Foo =, enum Foo
  new RegExp(`\\bfunction\\s*\\*?\\s*${ID}`, 'g'),
  new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:abstract\\s+)?(?:declare\\s+)?class\\s+${ID}`, 'gm'),
  new RegExp(`^\\s*(?:export\\s+)?(?:declare\\s+)?(?:interface|enum|namespace|module)\\s+${ID}`, 'gm'),
  new RegExp(`^\\s*(?:export\\s+)?type\\s+${ID}\\s*(?:<[^>]*>)?\\s*=`, 'gm'),
  // JS/TS top-level bindings: export const foo =, const foo = (...) =>, let foo: T =
  new RegExp(`^(?:export\\s+)?(?:const|let|var)\\s+${ID}\\s*[:=]`, 'gm'),
  // JS/TS class members and object methods: `  async verify(token) {`
  new RegExp(`^\\s+(?:(?:public|private|protected|static|async|get|set|override)\\s+)*${ID}\\s*\\([^)]*\\)\\s*(?::\\s*[^{]+)?\\{`, 'gm'),
  // Python, Ruby: def foo, async def foo, def self.foo, class Foo, module Foo
  new RegExp(`^\\s*(?:async\\s+)?def\\s+(?:self\\.)?${ID}`, 'gm'),
  // Go: func Foo(, func (s *Server) Foo(, type Foo struct
  new RegExp(`^func\\s+(?:\\([^)]*\\)\\s*)?${ID}`, 'gm'),
  new RegExp(`^type\\s+${ID}\\s+(?:struct|interface|func|map|\\[)`, 'gm'),
  // Rust: fn foo, pub(crate) async fn foo, struct/enum/trait/impl Foo, mod foo
  new RegExp(`^\\s*(?:pub(?:\\([^)]*\\))?\\s+)?(?:async\\s+)?(?:unsafe\\s+)?fn\\s+${ID}`, 'gm'),
  new RegExp(`^\\s*(?:pub(?:\\([^)]*\\))?\\s+)?(?:struct|trait|mod)\\s+${ID}`, 'gm'),
  // Java/C#/Kotlin/Swift/Scala type declarations, Kotlin/Swift fun/func
  new RegExp(`^\\s*(?:(?:public|private|protected|internal|abstract|final|sealed|static|data|open)\\s+)*(?:record|struct|object|trait)\\s+${ID}`, 'gm'),
  new RegExp(`^\\s*(?:(?:public|private|protected|internal|override|open|static|suspend)\\s+)*(?:fun|func)\\s+${ID}`, 'gm'),
  // SQL: CREATE TABLE todos, CREATE FUNCTION foo
  /\bcreate\s+(?:or\s+replace\s+)?(?:table|view|function|procedure|index)\s+(?:if\s+not\s+exists\s+)?["`]?([A-Za-z_][\w]*)/gim,
];

// Things the member pattern would take for method names.
const NOT_NAMES = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'function', 'constructor', 'elif', 'else', 'super', 'new', 'typeof']);

/** Defined identifiers, in order of first appearance, without duplicates. */
export function extractSymbols(content: string): string[] {
  const found: Array<{ name: string; at: number }> = [];
  for (const pattern of DEFINITION_PATTERNS) {
    pattern.lastIndex = 0;
    for (const match of content.matchAll(pattern)) {
      const name = match[1];
      if (name && name.length > 1 && !NOT_NAMES.has(name)) found.push({ name, at: match.index ?? 0 });
    }
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.name))];
}

/**
 * The key the spellings of one identifier share: `verify_token`, `verifyToken`,
 * `VerifyTokens` and the phrase "verify tokens" all become "veriftoken".
 */
export function symbolKey(name: string): string {
  return splitIdentifier(name)
    .map((part) => stemToken(part.toLowerCase()))
    .join('');
}
