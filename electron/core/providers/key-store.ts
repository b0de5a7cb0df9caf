// Provider keys in one file, <dataDir>/secrets/provider-keys.json (dir 0700, file 0600 from the
// moment it exists). With the OS keychain (Electron safeStorage, injected as a SecretCipher) each
// value is base64(cipher.encryptString(key)); without one (macs serve, a Linux desktop with no
// keyring) the keys are plain text, stored only after the user consents (asked once, kept here).
// No key is ever part of a message, a warning or an error thrown from here.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MacsError, ProviderIdSchema } from '../../../shared/index.js';
import type { KeyStore, SecretCipher } from './types.js';

export const KEY_FILE_NAME = 'provider-keys.json';

const KeyFileSchema = z.object({
  version: z.literal(1),
  /** How the values were written: a keychain-encrypted file is not readable as plaintext, and back. */
  backend: z.enum(['keychain', 'file']),
  consentedPlaintext: z.boolean().default(false),
  keys: z.record(z.string(), z.string()),
});
type KeyFile = z.infer<typeof KeyFileSchema>;

export interface KeyStoreOptions {
  dataDir: string;
  /** Electron's safeStorage in the desktop app; null or absent: no keychain here. */
  cipher?: SecretCipher | null;
  warn?: (message: string) => void;
}

export function createKeyStore(options: KeyStoreOptions): KeyStore {
  return new FileKeyStore(options);
}

/** The environment variable a provider's key could come from, for the consent sentence. */
export function suggestedEnvName(id: string): string {
  return `${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
}

class FileKeyStore implements KeyStore {
  readonly backend: 'keychain' | 'file';
  readonly plaintext: boolean;
  private readonly dir: string;
  readonly file: string;
  private readonly cipher: SecretCipher | null;
  private readonly warnSink: (message: string) => void;
  /** Each problem is told once per process: views read keys on every call. */
  private readonly warned = new Set<string>();

  constructor(options: KeyStoreOptions) {
    this.dir = path.join(options.dataDir, 'secrets');
    this.file = path.join(this.dir, KEY_FILE_NAME);
    this.warnSink = options.warn ?? ((m) => console.warn(m));
    let available = false;
    try {
      available = options.cipher?.isEncryptionAvailable() ?? false;
    } catch {
      available = false; // safeStorage throws before app ready on some platforms: no keychain then
    }
    this.cipher = available ? options.cipher! : null;
    this.backend = this.cipher ? 'keychain' : 'file';
    this.plaintext = !this.cipher;
  }

  private warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warnSink(message);
  }

  consented(): boolean {
    return this.read().consentedPlaintext;
  }

  set(id: string, key: string, opts: { allowPlaintext?: boolean } = {}): void {
    checkId(id);
    const trimmed = key.trim();
    if (trimmed === '') throw new MacsError('INVALID_INPUT', 'The key is empty; paste the key, or delete the stored one.', { fields: [{ path: 'key', message: 'empty' }] });
    const file = this.read();
    if (this.plaintext && !file.consentedPlaintext && !opts.allowPlaintext) {
      throw new MacsError(
        'KEY_STORE_NEEDS_CONSENT',
        `No OS keychain is available here, so the key would be stored in plain text in ${this.file} (readable only by you). Store it there only if you agree, or set ${suggestedEnvName(id)} and leave the key field empty.`,
        { path: this.file, env: suggestedEnvName(id) },
      );
    }
    if (this.plaintext && opts.allowPlaintext) file.consentedPlaintext = true;
    file.keys[id] = this.cipher ? this.cipher.encryptString(trimmed).toString('base64') : trimmed;
    this.write(file);
  }

  get(id: string): string | null {
    const stored = this.read().keys[id];
    if (stored === undefined) return null;
    if (!this.cipher) return stored;
    try {
      const key = this.cipher.decryptString(Buffer.from(stored, 'base64'));
      return key === '' ? null : key;
    } catch {
      // Another user's keychain, a reset keyring, a file copied from another machine: the key is
      // gone for us, but the app keeps working (env var or a new key).
      this.warn(`The stored key of provider "${id}" cannot be decrypted with this OS keychain; store it again (Settings → Providers) or set its environment variable.`);
      return null;
    }
  }

  delete(id: string): void {
    const file = this.read();
    if (!(id in file.keys)) return;
    delete file.keys[id];
    this.write(file);
  }

  private read(): KeyFile {
    const empty: KeyFile = { version: 1, backend: this.backend, consentedPlaintext: false, keys: {} };
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty;
      throw new MacsError('DATA_DIR_NOT_WRITABLE', `Cannot read the provider key file ${this.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`, { path: this.file });
    }
    let parsed: KeyFile;
    try {
      parsed = KeyFileSchema.parse(JSON.parse(text));
    } catch {
      this.warn(`The provider key file ${this.file} is not readable as MACS wrote it; its keys are ignored until a key is stored again.`);
      return empty;
    }
    if (parsed.backend !== this.backend) {
      // Keys encrypted by a keychain are useless as plaintext and plaintext must not be "decrypted":
      // the other backend's keys are set aside (the consent stays), never misread.
      this.warn(`The provider key file ${this.file} was written ${parsed.backend === 'keychain' ? 'with the OS keychain' : 'without a keychain'}; its keys are not usable here, store them again or use environment variables.`);
      return { ...empty, consentedPlaintext: parsed.consentedPlaintext };
    }
    return parsed;
  }

  /** tmp file opened 0600 (never a moment world-readable), then renamed over the old one. */
  private write(file: KeyFile): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700); // an existing dir (or a umask) may have left it wider
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o600);
    try {
      fs.fchmodSync(fd, 0o600); // a tmp left by a crash keeps its old mode through O_CREAT
      fs.writeSync(fd, JSON.stringify(file, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}

function checkId(id: string): void {
  const ok = ProviderIdSchema.safeParse(id);
  if (!ok.success) throw new MacsError('INVALID_INPUT', `Not a provider id: ${ok.error.issues[0]?.message}.`, { fields: [{ path: 'id', message: ok.error.issues[0]?.message ?? 'invalid' }] });
}
