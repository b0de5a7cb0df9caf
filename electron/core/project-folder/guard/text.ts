// Text-or-binary decision for readFile. Same heuristic as git and most editors:
// look at the first 8 KB only, so a huge file costs the same as a small one.
const SNIFF_BYTES = 8 * 1024;

export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes(0)) return true;
  try {
    // stream:true so a multi-byte character cut at the 8 KB boundary is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

/** Decode as UTF-8, keeping a BOM so a read → edit → write round trip is byte-exact. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}
