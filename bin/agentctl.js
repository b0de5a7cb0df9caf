#!/usr/bin/env node
// `agentctl`: the name scripts from the task API this product grew from call. The same
// command as `macs` (same main, same arguments), e.g. `agentctl submit task.json`.
await import('./macs.js');
