// The "File: path" + fenced block format, written the other way round: how a file is
// shown to the model (as context) in the very format it is asked to answer in, and which
// the extractor reads back.

export interface RenderedFile {
  path: string;
  content: string;
}

const LANG_BY_EXT: Record<string, string> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'jsx', ts: 'typescript', tsx: 'tsx',
  py: 'python', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', rb: 'ruby', php: 'php', cs: 'csharp',
  c: 'c', h: 'c', cpp: 'cpp', hpp: 'cpp', sh: 'bash', json: 'json', yml: 'yaml', yaml: 'yaml',
  toml: 'toml', md: 'markdown', html: 'html', css: 'css', sql: 'sql', xml: 'xml',
};

export function fenceLanguage(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return LANG_BY_EXT[ext] ?? '';
}

/** A file as the model should see it: the same "File:" + fence format it is asked to write. */
export function renderFile(file: RenderedFile): string {
  // Longer than any backtick run inside, so the file's own fences cannot close it.
  const longest = (file.content.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `File: ${file.path}\n${fence}${fenceLanguage(file.path)}\n${file.content.replace(/\n?$/, '\n')}${fence}`;
}

