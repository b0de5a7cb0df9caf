// Public face of the command sandbox (DESIGN.md "Sandbox").
export type { Sandbox, SandboxBackend, SandboxBind, SandboxCommand, SandboxSpec } from './types.js';
export { detectSandbox, resetSandboxDetection, INSTALL_BWRAP_HINT } from './detect.js';
export type { DetectOptions } from './detect.js';
export { runSandboxed, DEFAULT_TIMEOUT_MS, DEFAULT_OUTPUT_CAP_BYTES, DEFAULT_MAX_OUTPUT_BYTES, KILL_GRACE_MS } from './run-sandboxed.js';
export type { RunSandboxedOptions, SandboxedRunResult, SandboxAudit, SandboxAuditKind } from './run-sandboxed.js';
export type { OutputStream } from './output-sink.js';
export { BwrapSandbox } from './bwrap.js';
export { SeatbeltSandbox } from './seatbelt.js';
export { UnrestrictedSandbox } from './unrestricted.js';
export { bwrapArgs } from './bwrap-args.js';
export type { BwrapPlan, BwrapFeatures } from './bwrap-args.js';
export { seatbeltProfile } from './seatbelt-profile.js';
export type { SeatbeltPlan } from './seatbelt-profile.js';
export { scrubbedEnv, isDeniedEnvName } from './env.js';
export { resolveWorkspaceRoot } from './workspace-root.js';
export { registerDataDir } from './data-dirs.js';
