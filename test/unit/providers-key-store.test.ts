import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProviderConfig } from '../../shared/index.js';
import { MacsError } from '../../shared/index.js';
import { createKeyStore, resolveProviderKey, type SecretCipher } from '../../electron/core/providers/index.js';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-keys-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const KEY = 'sk-test-3f9aQ1b7Zx00SECRETxyz3xQz';
const keyFile = () => path.join(dataDir, 'secrets', 'provider-keys.json');
const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** A stand-in for safeStorage: reversible, and visibly not plaintext (a prefix and reversed bytes). */
function fakeCipher(available = true): SecretCipher & { broken: boolean } {
  return {
    broken: false,
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.concat([Buffer.from('ENC1'), Buffer.from(plain, 'utf8').reverse()]),
    decryptString(encrypted) {
      if (this.broken || encrypted.subarray(0, 4).toString() !== 'ENC1') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(encrypted.subarray(4)).reverse().toString('utf8');
    },
  };
}

describe('key store without a keychain (macs serve)', () => {
  it('refuses the first store until the user consents, naming the file and an env var; consent is remembered', () => {
    const store = createKeyStore({ dataDir, cipher: null });
    expect(store.backend).toBe('file');
    expect(store.plaintext).toBe(true);
    expect(store.consented()).toBe(false);
    let err: unknown;
    try {
      store.set('openai', KEY);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('KEY_STORE_NEEDS_CONSENT');
    expect((err as MacsError).message).toBe(
      `No OS keychain is available here, so the key would be stored in plain text in ${keyFile()} (readable only by you). Store it there only if you agree, or set OPENAI_API_KEY and leave the key field empty.`,
    );
    expect(JSON.stringify(err)).not.toContain(KEY);
    expect(fs.existsSync(keyFile())).toBe(false);

    store.set('openai', KEY, { allowPlaintext: true });
    expect(store.get('openai')).toBe(KEY);
    expect(store.consented()).toBe(true);
    // A new store (a restart) remembers the consent: the next key needs no asking.
    const again = createKeyStore({ dataDir });
    again.set('openrouter', 'or-key-123456789');
    expect(again.get('openrouter')).toBe('or-key-123456789');
    expect(again.get('openai')).toBe(KEY);
  });

  it('creates the dir 0700 and the file 0600, even over a wider existing dir and under a permissive umask', () => {
    fs.mkdirSync(path.join(dataDir, 'secrets'), { mode: 0o755 });
    fs.chmodSync(path.join(dataDir, 'secrets'), 0o755);
    const old = process.umask(0o000);
    try {
      createKeyStore({ dataDir }).set('openai', KEY, { allowPlaintext: true });
    } finally {
      process.umask(old);
    }
    expect(mode(path.join(dataDir, 'secrets'))).toBe(0o700);
    expect(mode(keyFile())).toBe(0o600);
    // No tmp file is left beside it.
    expect(fs.readdirSync(path.join(dataDir, 'secrets'))).toEqual(['provider-keys.json']);
  });

  it('delete removes the key from the file', () => {
    const store = createKeyStore({ dataDir });
    store.set('openai', KEY, { allowPlaintext: true });
    store.delete('openai');
    expect(store.get('openai')).toBeNull();
    expect(fs.readFileSync(keyFile(), 'utf8')).not.toContain(KEY);
  });
});

describe('key store with the OS keychain (a fake safeStorage)', () => {
  it('stores base64(encryptString(key)) and reads it back; no consent needed; the key is not in the file', () => {
    const cipher = fakeCipher();
    const store = createKeyStore({ dataDir, cipher });
    expect(store.backend).toBe('keychain');
    expect(store.plaintext).toBe(false);
    store.set('claude', KEY);
    const text = fs.readFileSync(keyFile(), 'utf8');
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text).keys.claude).toBe(cipher.encryptString(KEY).toString('base64'));
    expect(createKeyStore({ dataDir, cipher }).get('claude')).toBe(KEY);
    expect(mode(keyFile())).toBe(0o600);
  });

  it('an undecryptable value reads as null with a warning (no throw, no key in the warning)', () => {
    const cipher = fakeCipher();
    createKeyStore({ dataDir, cipher }).set('claude', KEY);
    cipher.broken = true;
    const warn = vi.fn();
    const store = createKeyStore({ dataDir, cipher, warn });
    expect(store.get('claude')).toBeNull();
    expect(store.get('claude')).toBeNull(); // every view reads it: told once, not on each read
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0][0])).toContain('"claude"');
    expect(String(warn.mock.calls[0][0])).not.toContain(KEY);
  });

  it('a keychain that is not available falls back to the file backend', () => {
    const store = createKeyStore({ dataDir, cipher: fakeCipher(false) });
    expect(store.backend).toBe('file');
    expect(() => store.set('openai', KEY)).toThrow(expect.objectContaining({ code: 'KEY_STORE_NEEDS_CONSENT' }));
  });

  it('plaintext keys are never fed to the keychain (nor keychain blobs read as keys) when the backend changes', () => {
    createKeyStore({ dataDir }).set('openai', KEY, { allowPlaintext: true });
    const warn = vi.fn();
    expect(createKeyStore({ dataDir, cipher: fakeCipher(), warn }).get('openai')).toBeNull();
    expect(warn).toHaveBeenCalled();
  });
});

describe('resolveProviderKey', () => {
  const openai: ProviderConfig = { id: 'openai', kind: 'openai', label: '', enabled: true, baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini', apiKeyEnv: 'OPENAI_API_KEY', contextLength: null };

  it('stored key, else the environment variable, else none; each with its source', () => {
    const store = createKeyStore({ dataDir, cipher: fakeCipher() });
    expect(resolveProviderKey(openai, store, {})).toEqual({ key: null, source: null });
    expect(resolveProviderKey(openai, store, { OPENAI_API_KEY: 'from-env-1234' })).toEqual({ key: 'from-env-1234', source: 'env' });
    expect(resolveProviderKey({ ...openai, apiKeyEnv: null }, store, { OPENAI_API_KEY: 'from-env-1234' })).toEqual({ key: null, source: null });
    store.set('openai', KEY);
    expect(resolveProviderKey(openai, store, { OPENAI_API_KEY: 'from-env-1234' })).toEqual({ key: KEY, source: 'keychain' });
    const file = createKeyStore({ dataDir: path.join(dataDir, 'other') });
    file.set('openai', KEY, { allowPlaintext: true });
    expect(resolveProviderKey(openai, file, {}).source).toBe('file');
  });
});
