// "Is this a binary file?" for the tree and the editor, from the first 8 KB only so
// a 2 GB file costs the same as a small one. A NUL byte settles it (git's rule; it
// also sends UTF-16 text to "binary", which is right while the editor decodes UTF-8
// only). Otherwise it is a ratio, not a strict UTF-8 check: a Latin-1 source file
// with a few accented letters in comments is text a user wants to open, while
// compressed or image data without a NUL is garbage nearly byte for byte.
const SNIFF_BYTES = 8 * 1024;
/** Share of suspicious bytes (invalid UTF-8, control characters) above which it is binary. */
const BINARY_RATIO = 0.1;

/** Control characters that do not occur in text: everything below 0x20 except \t \n \f \r and ESC (ANSI colours in logs). */
function isSuspiciousControl(byte: number): boolean {
  return byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b;
}

/** Length of the UTF-8 sequence starting at `i`, or 0 when it is not a valid one. */
function validSequenceLength(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i];
  let length: number;
  let min: number; // smallest code point this length may encode (overlong forms are invalid)
  if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
  else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
  else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
  else return 0;
  // A sequence cut by the 8 KB window is not evidence of anything.
  if (i + length > end) return end - i;
  let codePoint = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[i + k];
    if ((next & 0xc0) !== 0x80) return 0;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return 0;
  return length;
}

export function isProbablyBinary(buffer: Uint8Array): boolean {
  const end = Math.min(buffer.length, SNIFF_BYTES);
  if (end === 0) return false;
  let suspicious = 0;
  for (let i = 0; i < end; ) {
    const byte = buffer[i];
    if (byte === 0) return true;
    if (byte < 0x80) {
      if (isSuspiciousControl(byte)) suspicious++;
      i++;
      continue;
    }
    const length = validSequenceLength(buffer, i, end);
    if (length === 0) {
      suspicious++;
      i++;
    } else {
      i += length;
    }
  }
  return suspicious / end > BINARY_RATIO;
}
