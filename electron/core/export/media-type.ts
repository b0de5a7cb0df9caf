// Media types for the manifest, by extension or by a build file's conventional name: enough for
// source trees and their build files; the rest is octet-stream.
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
  gradle: 'text/x-groovy', groovy: 'text/x-groovy', kts: 'text/x-kotlin', properties: 'text/x-java-properties',
  mk: 'text/x-makefile', cmake: 'text/x-cmake', bat: 'application/x-bat', cmd: 'application/x-bat', ps1: 'text/x-powershell',
  bazel: 'text/x-python', bzl: 'text/x-python', gemspec: 'text/x-ruby', sbt: 'text/x-scala', scala: 'text/x-scala',
  swift: 'text/x-swift', dart: 'text/x-dart', vue: 'text/x-vue', svelte: 'text/x-svelte', ini: 'text/plain', cfg: 'text/plain',
  conf: 'text/plain', editorconfig: 'text/plain', dockerignore: 'text/plain', npmrc: 'text/plain', nvmrc: 'text/plain',
  gitattributes: 'text/plain', jar: 'application/java-archive',
};
/**
 * Build files named by convention, not extension (build.gradle and pom.xml are right by theirs).
 * The wrappers (gradlew, mvnw) are shell scripts; their .bat twins are batch files by extension.
 */
const BY_NAME: Record<string, string> = {
  Dockerfile: 'text/x-dockerfile', Containerfile: 'text/x-dockerfile', Makefile: 'text/x-makefile', makefile: 'text/x-makefile',
  GNUmakefile: 'text/x-makefile', 'CMakeLists.txt': 'text/x-cmake', Jenkinsfile: 'text/x-groovy', Vagrantfile: 'text/x-ruby',
  Gemfile: 'text/x-ruby', Rakefile: 'text/x-ruby', Podfile: 'text/x-ruby', Brewfile: 'text/x-ruby', Procfile: 'text/plain',
  Pipfile: 'application/toml', 'Cargo.lock': 'application/toml', 'go.mod': 'text/x-go-mod', 'go.sum': 'text/plain',
  gradlew: 'application/x-sh', mvnw: 'application/x-sh', BUILD: 'text/x-python', WORKSPACE: 'text/x-python',
  LICENSE: 'text/plain', NOTICE: 'text/plain', CODEOWNERS: 'text/plain',
};

export function mediaTypeOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (Object.hasOwn(BY_NAME, name)) return BY_NAME[name];
  // Dockerfile.dev, backend.Dockerfile, Makefile.am: the convention's name with a suffix or prefix.
  if (/^(Docker|Container)file\.|\.(Docker|Container)file$/.test(name)) return 'text/x-dockerfile';
  if (/^(GNU)?[Mm]akefile\./.test(name)) return 'text/x-makefile';
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  return (Object.hasOwn(TYPES, ext) && TYPES[ext]) || 'application/octet-stream';
}
