// The two JSZip internals entry-source.ts builds on (CommonJS modules without
// typings); only what we use is declared. See entry-source.ts for why.
declare module 'jszip/lib/stream/GenericWorker.js' {
  namespace GenericWorker {
    interface Chunk {
      data: Uint8Array | string;
      meta: { percent: number };
    }
  }
  class GenericWorker {
    constructor(name: string);
    isPaused: boolean;
    isFinished: boolean;
    /** Shared with ZipFileWorker, which reads file/compression at the start of an entry and crc32/sizes at its end. */
    streamInfo: Record<string, unknown>;
    push(chunk: GenericWorker.Chunk): void;
    resume(): boolean;
    end(): boolean;
    error(e: Error): boolean;
    withStreamInfo(key: string, value: unknown): this;
  }
  export = GenericWorker;
}

declare module 'jszip/lib/compressedObject.js' {
  class CompressedObject {
    constructor(compressedSize: number, uncompressedSize: number, crc32: number, compression: { magic: string }, data: unknown);
    getCompressedWorker(): unknown;
  }
  export = CompressedObject;
}
