// Why an outside command gave no answer. The probe treats every reason the same (no
// correction), but the reason is kept so `--json` debugging and tests can tell them apart.
import { MacsError } from '../../../shared/errors.js';

export type CommandFailure = 'not-found' | 'timeout' | 'failed';

export class CommandError extends MacsError {
  readonly reason: CommandFailure;
  /** The Node errno code, e.g. 'ENOENT' when the program is not installed. */
  readonly errno: string | null;

  constructor(cmd: string, reason: CommandFailure, message: string, errno: string | null = null) {
    super(reason === 'not-found' ? 'NOT_SUPPORTED' : 'INTERNAL', message, { cmd, reason, ...(errno ? { errno } : {}) });
    this.name = 'CommandError';
    this.reason = reason;
    this.errno = errno;
  }
}
