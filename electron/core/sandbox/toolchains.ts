// Which parts of the hidden home folder every backend binds back, read-only.
/**
 * Toolchains commonly installed under ~, bound back read-only inside the private HOME
 * so `npm test` still finds an nvm node, `pytest` a pyenv python, `go test` its module
 * cache. Deliberately narrow: ~/.cargo/bin but not ~/.cargo (credentials.toml),
 * ~/.m2/repository but not ~/.m2 (settings.xml holds server passwords).
 */
export const HOME_TOOLCHAIN_DIRS = [
  '.nvm', '.fnm', '.volta', '.bun/bin', '.deno/bin', '.pyenv', '.rbenv', '.rustup', '.cargo/bin',
  '.sdkman/candidates', '.jenv', '.asdf', '.local/bin', '.local/share/mise', '.local/share/fnm',
  '.dotnet', 'go/bin', 'go/pkg/mod', 'sdk', '.m2/repository',
];
