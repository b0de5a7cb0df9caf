// Media types for the manifest, by extension: enough for source trees; the rest is octet-stream.
const TYPES: Record<string, string> = {
  js: 'text/javascript', mjs: 'text/javascript', cjs: 'text/javascript', jsx: 'text/javascript',
  ts: 'text/x-typescript', tsx: 'text/x-typescript', json: 'application/json', md: 'text/markdown',
  py: 'text/x-python', go: 'text/x-go', rs: 'text/x-rust', java: 'text/x-java', kt: 'text/x-kotlin',
  c: 'text/x-c', h: 'text/x-c', cpp: 'text/x-c++', hpp: 'text/x-c++', cs: 'text/x-csharp', rb: 'text/x-ruby',
  php: 'application/x-httpd-php', sh: 'application/x-sh', html: 'text/html', htm: 'text/html', css: 'text/css',
  svg: 'image/svg+xml', xml: 'application/xml', yml: 'application/yaml', yaml: 'application/yaml', toml: 'application/toml',
  txt: 'text/plain', csv: 'text/csv', sql: 'application/sql', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  gif: 'image/gif', webp: 'image/webp', ico: 'image/vnd.microsoft.icon', pdf: 'application/pdf', wasm: 'application/wasm',
  zip: 'application/zip', lock: 'text/plain', gitignore: 'text/plain', env: 'text/plain',
};
const BY_NAME: Record<string, string> = { Dockerfile: 'text/x-dockerfile', Makefile: 'text/x-makefile', LICENSE: 'text/plain' };

export function mediaTypeOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (BY_NAME[name]) return BY_NAME[name];
  const dot = name.lastIndexOf('.');
  return (dot >= 0 && TYPES[name.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}
