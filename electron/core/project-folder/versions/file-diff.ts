import type { VersionFileDiff } from '../../../../shared/project.js';
import { isProbablyBinary } from '../tree/index.js';

/** One file's change as shown: both sides as text, or neither when either side is binary (null: the side is absent). */
export function fileDiff(path: string, status: VersionFileDiff['status'], before: Buffer | null, after: Buffer | null): VersionFileDiff {
  const binary = [before, after].some((data) => data !== null && isProbablyBinary(data));
  return {
    path,
    status,
    binary,
    before: binary || before === null ? null : before.toString('utf8'),
    after: binary || after === null ? null : after.toString('utf8'),
  };
}
