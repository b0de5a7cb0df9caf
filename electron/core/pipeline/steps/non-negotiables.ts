export interface RuleCheck {
  rule: string;
  ok: boolean;
  detail: string;
}

interface FileFacts {
  paths: readonly string[];
  read(path: string): string | null;
}

const hasFile = (f: FileFacts, re: RegExp) => f.paths.some((p) => re.test(p));

/** "No npm packages", "do not use Maven", "not TypeScript": a rule that forbids a tool does not require its files. */
const NEGATION = /\b(no|not|never|without|avoid|don'?t|do not|must not|instead of)\b/i;

/**
 * Rules a program can check from the files alone; the rest go to the review model.
 * `requires` checks (a tool's build file) apply only to rules that ask for the tool.
 */
const CHECKS: Array<{ when: RegExp; requires?: boolean; check: (f: FileFacts) => { ok: boolean; detail: string } }> = [
  { when: /\bmaven\b/i, requires: true, check: (f) => ({ ok: hasFile(f, /(^|\/)pom\.xml$/), detail: 'needs pom.xml' }) },
  { when: /\bgradle\b/i, requires: true, check: (f) => ({ ok: hasFile(f, /(^|\/)build\.gradle(\.kts)?$/), detail: 'needs build.gradle' }) },
  { when: /\bcargo\b/i, requires: true, check: (f) => ({ ok: hasFile(f, /(^|\/)Cargo\.toml$/), detail: 'needs Cargo.toml' }) },
  { when: /\bgo modules?\b|\bgo\.mod\b/i, requires: true, check: (f) => ({ ok: hasFile(f, /(^|\/)go\.mod$/), detail: 'needs go.mod' }) },
  { when: /\bpackage\.json\b|\bnpm\b/i, requires: true, check: (f) => ({ ok: hasFile(f, /^package\.json$/), detail: 'needs package.json' }) },
  { when: /\bpyproject\b|\bpoetry\b/i, requires: true, check: (f) => ({ ok: hasFile(f, /^pyproject\.toml$/), detail: 'needs pyproject.toml' }) },
  { when: /\btypescript\b/i, requires: true, check: (f) => ({ ok: hasFile(f, /\.tsx?$/), detail: 'needs TypeScript (.ts) sources' }) },
  {
    when: /\b(no|zero|without) (external |third[- ]party |runtime )?dependenc|\bstandard library only\b|\bonly the standard library\b/i,
    check: (f) => {
      const pkg = f.read('package.json');
      let deps = 0;
      if (pkg) {
        try {
          deps = Object.keys((JSON.parse(pkg) as { dependencies?: object }).dependencies ?? {}).length;
        } catch {
          deps = 0;
        }
      }
      const req = (f.read('requirements.txt') ?? '').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length;
      return { ok: deps === 0 && req === 0, detail: deps || req ? `declares ${deps + req} dependenc${deps + req === 1 ? 'y' : 'ies'}` : 'no dependencies declared' };
    },
  },
];

/** The tool is mentioned under a negation in its own clause ("TypeScript with npm, no dependencies" still asks for npm). */
function negated(rule: string, tool: RegExp): boolean {
  const at = rule.search(tool);
  const clauseStart = Math.max(...[',', ';', ':', '.', '(', '\n'].map((sep) => rule.lastIndexOf(sep, at)));
  return NEGATION.test(rule.slice(clauseStart + 1, at));
}

/** Check the non-negotiables that can be checked; returns one result per rule that had a check. */
export function checkNonNegotiables(rules: readonly string[], files: FileFacts): RuleCheck[] {
  const out: RuleCheck[] = [];
  for (const rule of rules) {
    for (const c of CHECKS) {
      if (!c.when.test(rule) || (c.requires && negated(rule, c.when))) continue;
      const r = c.check(files);
      out.push({ rule, ok: r.ok, detail: r.detail });
    }
  }
  return out;
}
