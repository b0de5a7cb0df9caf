// Public face of the terminal capability: shells and the Runs log, streamed with seq + replay.
export { TerminalManager, DEFAULT_SCROLLBACK_BYTES, DEFAULT_MAX_SESSIONS } from './terminal-manager.js';
export { formatRunHeader, formatRunFooter, quoteArg } from './runs-session.js';
export { killProcessTree, processTreeOf } from './process-tree.js';
export { Scrollback, safeCutIndex } from './scrollback.js';
export type { FlowControl, PumpStats } from './output-pump.js';
export type {
  OpenTerminalParams,
  RunEnd,
  RunSpec,
  RunWriter,
  SandboxCommand,
  SandboxCommandBuilder,
  SandboxCommandSpec,
  TerminalExit,
  TerminalManagerOptions,
  TerminalOutput,
} from './types.js';
