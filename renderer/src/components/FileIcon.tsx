// A small colored glyph per file type (no icon font: everything is local).
const COLORS: Record<string, string> = {
  py: '#4b8bbe', js: '#e8d44d', mjs: '#e8d44d', ts: '#3178c6', tsx: '#3178c6', jsx: '#61dafb',
  json: '#cbcb41', md: '#7f8c99', html: '#e44d26', css: '#563d7c', go: '#00add8', rs: '#dea584',
  java: '#b07219', yml: '#cb171e', yaml: '#cb171e', toml: '#9c4221', sh: '#89e051', sql: '#e38c00',
  txt: '#8b93a1', c: '#555', cpp: '#f34b7d', rb: '#cc342d',
};

export function FileIcon({ name }: { name: string }) {
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  const color = COLORS[ext] ?? '#8b93a1';
  return (
    <svg className="file-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M3.5 1.5h6l3 3v10h-9z" fill="none" stroke={color} strokeWidth="1.2" strokeLinejoin="round" />
      <path d="M9.5 1.5v3h3" fill="none" stroke={color} strokeWidth="1.2" strokeLinejoin="round" />
    </svg>
  );
}
