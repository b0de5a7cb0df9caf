import crypto from 'node:crypto';
import os from 'node:os';

/**
 * A worker's identity in lease_owner: "host/pid/random". The random part tells two
 * lives of the same pid apart; host + pid let a restarted process on the same machine
 * see at once that a lease's owner is dead instead of waiting for the lease to expire.
 */
export function newWorkerId(): string {
  return `${os.hostname()}/${process.pid}/${crypto.randomBytes(4).toString('hex')}`;
}

export function ownerIsDeadHere(owner: string, self: string): boolean {
  const [host, pidText] = owner.split('/');
  if (host !== os.hostname() || owner === self) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true; // our pid, another life: we are not it.
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
