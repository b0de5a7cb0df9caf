/** One line per folder ("src/util/: a.py, b.py"): the names a model needs to know a file exists, at a few tokens each. */
export interface FileMap {
  text: string;
  /** Files named in the map. */
  mapped: number;
  /** Files the map had no room for (counted in its last line). */
  unnamed: number;
  tokens: number;
}

const HEADER = 'Other files in the project (names only; ask for a file by name if you need to see it):';

/**
 * A compact map of the files not shown, grouped by folder, folders in path order, within
 * `budget` tokens. What does not fit is counted ("… and 812 more files in 40 folders"), so
 * the model knows the map is partial.
 */
export function renderFileMap(paths: readonly string[], budget: number, count: (text: string) => number): FileMap {
  if (paths.length === 0) return { text: '', mapped: 0, unnamed: 0, tokens: 0 };
  const byFolder = new Map<string, string[]>();
  for (const p of paths) {
    const slash = p.lastIndexOf('/');
    const folder = slash < 0 ? '' : p.slice(0, slash + 1);
    const names = byFolder.get(folder) ?? [];
    names.push(p.slice(slash + 1));
    byFolder.set(folder, names);
  }
  const folders = [...byFolder.keys()].sort();
  const lines = [HEADER];
  let tokens = count(HEADER);
  let mapped = 0;
  let i = 0;
  // Room kept for the closing count line.
  const reserve = 20;
  for (; i < folders.length; i++) {
    const names = byFolder.get(folders[i])!.sort();
    const line = `${folders[i] || './'}: ${names.join(', ')}`;
    const cost = count(line) + 1;
    if (tokens + cost > budget - reserve) break;
    lines.push(line);
    tokens += cost;
    mapped += names.length;
  }
  if (mapped === 0 && budget < tokens + reserve) return { text: '', mapped: 0, unnamed: paths.length, tokens: 0 };
  const unnamed = paths.length - mapped;
  if (unnamed > 0) {
    const tail = `… and ${unnamed} more file${unnamed === 1 ? '' : 's'} in ${folders.length - i} folder${folders.length - i === 1 ? '' : 's'}.`;
    lines.push(tail);
    tokens += count(tail) + 1;
  }
  return { text: lines.join('\n'), mapped, unnamed, tokens };
}
