// Deflate a stream with Node's native zlib, synchronously, a block at a time, without
// holding the whole file. Each block is deflated on its own with Z_SYNC_FLUSH (ends
// byte-aligned, not final), primed with the previous block's last 32 KB as dictionary
// so matches still reach back across the seam (pigz does the same); the last block
// ends with Z_FINISH. The concatenation is one valid raw deflate stream. Blocks are
// small so the event loop is never held for more than a few milliseconds.
import zlib from 'node:zlib';

const BLOCK_BYTES = 256 * 1024;
const WINDOW_BYTES = 32 * 1024; // deflate's maximum match distance

export class BlockDeflater {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private dictionary: Buffer | null = null;

  constructor(private readonly level: number) {}

  /** Feed raw bytes; returns compressed output when a block is complete, else null. */
  write(data: Buffer): Buffer | null {
    this.pending.push(data);
    this.pendingBytes += data.byteLength;
    return this.pendingBytes >= BLOCK_BYTES ? this.deflatePending(false) : null;
  }

  /** The rest of the stream, ending with the final block. */
  finish(): Buffer {
    return this.deflatePending(true);
  }

  private deflatePending(final: boolean): Buffer {
    const input = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const output = zlib.deflateRawSync(input, {
      level: this.level,
      finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
      ...(this.dictionary ? { dictionary: this.dictionary } : {}),
    });
    // Copy the tail so the dictionary does not pin the whole block in memory.
    this.dictionary = final ? null : Buffer.from(input.subarray(Math.max(0, input.byteLength - WINDOW_BYTES)));
    return output;
  }
}
