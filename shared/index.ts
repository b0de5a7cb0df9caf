export * from './errors.js';
export * from './domain.js';
export * from './contract.js';
export * from './task-spec.js';
export * from './hardware.js';
export * from './exec.js';
export * from './pipeline.js';
export * from './workspace.js';
