// The packaged app's Electron fuses, read the way electron-builder reads them: its own
// config loader and schema validation (app-builder-lib, electron-builder's engine), so a
// misspelt key or a fuse left out fails here rather than silently shipping defaults.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';

const ROOT = path.resolve(__dirname, '../..');

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration that flips every hardening fuse', async () => {
    const config = await getConfig(ROOT, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.asar).toBe(true); // the asar fuses below mean nothing without an archive
    expect(config.electronFuses).toEqual({
      runAsNode: false, // ELECTRON_RUN_AS_NODE would turn the signed app into a plain node
      enableNodeOptionsEnvironmentVariable: false, // NODE_OPTIONS=--require evil.js
      enableNodeCliInspectArguments: false, // --inspect: a debugger attached to the main process
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false, // the UI loads over app://, never file://
    });
  }, 20_000);
});
