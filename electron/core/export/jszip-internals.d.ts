// The two JSZip internals node-deflate.ts builds on (CommonJS modules without
// typings). Only what we use is declared.
declare module 'jszip/lib/stream/GenericWorker.js' {
  namespace GenericWorker {
    interface Chunk {
      data: Uint8Array | string;
      meta: unknown;
    }
  }
  class GenericWorker {
    constructor(name: string);
    push(chunk: GenericWorker.Chunk): void;
    processChunk(chunk: GenericWorker.Chunk): void;
    flush(): void;
    cleanUp(): void;
  }
  export = GenericWorker;
}

declare module 'jszip/lib/compressions.js' {
  interface Compression {
    magic: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    compressWorker(options: any): unknown;
    uncompressWorker(): unknown;
  }
  const compressions: Record<string, Compression>;
  export = compressions;
}
