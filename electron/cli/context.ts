export interface CliContext {
  version: string;
  dataDir: string;
  rendererDir: string;
  env: NodeJS.ProcessEnv;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  write: (text: string) => void;
}
