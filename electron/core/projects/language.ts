/** File extensions that name a language (the project badge); config, docs and data files say nothing. */
const LANGUAGES: Record<string, string> = {
  py: 'Python', ts: 'TypeScript', tsx: 'TypeScript', js: 'JavaScript', jsx: 'JavaScript', mjs: 'JavaScript', cjs: 'JavaScript',
  go: 'Go', rs: 'Rust', java: 'Java', kt: 'Kotlin', rb: 'Ruby', php: 'PHP', cs: 'C#', c: 'C', h: 'C', cpp: 'C++', cc: 'C++',
  hpp: 'C++', swift: 'Swift', scala: 'Scala', sh: 'Shell', lua: 'Lua', dart: 'Dart', ex: 'Elixir', hs: 'Haskell', r: 'R',
  html: 'HTML', css: 'CSS', vue: 'Vue', svelte: 'Svelte', zig: 'Zig', sql: 'SQL',
};

/** The language most of a project's source files are in (null: none recognised). Markup and styles count only when nothing else does. */
export function mainLanguage(paths: Iterable<string>): string | null {
  const counts = new Map<string, number>();
  for (const p of paths) {
    const ext = /\.([A-Za-z0-9]+)$/.exec(p)?.[1]?.toLowerCase();
    const lang = ext ? LANGUAGES[ext] : undefined;
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + (lang === 'HTML' || lang === 'CSS' ? 0.01 : 1));
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [lang, n] of counts) if (n > bestCount) [best, bestCount] = [lang, n];
  return best;
}
