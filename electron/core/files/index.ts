// Public face of the files module: path normalisation and the incremental extractor.
export * from './paths.js';
export { FileExtractor, extractFiles, foldFileOps, type ExtractedFile, type FileOp } from './extractor.js';
export { decodeBase64Body } from './extractor-binary.js';
export { isClosingFence, parseFence } from './extractor-syntax.js';
export { fenceLanguage, renderFile, type RenderedFile } from './render.js';
export { describeNamedBlocks, nameCodeBlocks, namedBlockOps, type NamedBlock } from './namer.js';
