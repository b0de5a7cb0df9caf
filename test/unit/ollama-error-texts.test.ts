/**
 * The texts real Ollama servers send, classified by text alone (a mid-stream {"error"} line
 * has no status code). Each string is copied from the Ollama source at the version named.
 */
import { describe, expect, it } from 'vitest';
import { mapOllamaError } from '../../electron/core/llm/index.js';
import { isTransient } from '../../electron/core/queue/index.js';

const host = 'http://127.0.0.1:11434';
const ctx = { host, model: 'qwen2.5-coder:32b' };
/** What the ollama npm client throws for a mid-stream {"error": …} line: a plain Error, no status_code. */
const midStream = (message: string) => mapOllamaError(new Error(message), { ...ctx, streamStarted: true });
const withStatus = (status: number, message: string) => mapOllamaError({ status_code: status, message, name: 'ResponseError' }, ctx);

describe('out of memory, in every wording Ollama uses', () => {
  it.each([
    // llm/server.go (≥ 0.30): ErrLoadRequiredFull; x/mlxrunner/client.go returns it
    [500, 'unable to load full model on GPU'],
    // llm/llama_server.go WaitUntilRunning (≥ 0.30), with llama-server's own text (llm/status.go outOfMemorySubstrings)
    [500, 'llama-server reported out-of-memory during startup: ggml_backend_cuda_buffer_type_alloc_buffer: allocating 20480.00 MiB on device 0: cudaMalloc failed: out of memory'],
    [500, 'llama-server process has terminated: exit status 1: error: failed to allocate CUDA0 buffer of size 4294967296'],
    [500, 'llama-server process has terminated: exit status 1: ggml_vulkan: Device memory allocation of size 1073741824 failed. vk::Device::allocateMemory: ErrorOutOfDeviceMemory'],
    [500, 'hipMalloc failed: out of memory'],
    [500, 'not enough memory to allocate the KV cache'],
    // x/mlxrunner/client.go (≥ 0.30)
    [500, 'model requires 21.3 GiB but only 7.9 GiB are available (after 457.0 MiB overhead)'],
    // llm/server.go (0.12 – 0.29)
    [500, 'model requires more system memory (21.3 GiB) than is available (7.9 GiB)'],
    [500, 'failed to allocate memory for model'],
    [500, 'memory layout cannot be allocated with num_gpu = 99'],
  ])('%s %s → MODEL_OUT_OF_MEMORY, not retried', (status, message) => {
    const before = withStatus(status, message);
    expect(before.code).toBe('MODEL_OUT_OF_MEMORY');
    expect(isTransient(before.toPayload())).toBe(false);
    const during = midStream(message);
    expect(during.code).toBe('MODEL_OUT_OF_MEMORY');
    expect(during.details?.ollamaMessage).toBe(message);
  });
});

describe('a model that crashed', () => {
  it.each([
    // llm/llama_server.go Completion (≥ 0.30): the stream from llama-server ended with unexpected EOF; its last log line
    'an error was encountered while running the model: GGML_ASSERT(n_tokens_all <= cparams.n_batch) failed',
    // llm/server.go WaitUntilRunning (0.12 – 0.29)
    'llama runner process has terminated: GGML_ASSERT(ggml_nelements(a) == ne0*ne1) failed',
    'llama runner process has terminated: error loading model: unknown model architecture: \'qwen3next\'',
    'llama-server process has terminated: exit status 2: error loading model: done_getting_tensors: wrong number of tensors',
    'llama runner process has terminated: exit status 2',
    // runner/*: the K-shift a DeepSeek2 model cannot do (llm/status.go errorPrefixes)
    'an error was encountered while running the model: Deepseek2 does not support K-shift',
  ])('%s → MODEL_CRASHED, not retried, runner text kept', (message) => {
    const e = midStream(message);
    expect(e.code).toBe('MODEL_CRASHED');
    expect(e.details?.ollamaMessage).toBe(message);
    expect(e.details?.deterministic).toBe(true);
    expect(isTransient(e.toPayload())).toBe(false);
    expect(withStatus(500, message).code).toBe('MODEL_CRASHED');
  });

  it.each([
    // llm/llama_server.go (≥ 0.30) and llm/server.go (0.12 – 0.29): the runner went away, "may be due to resource limitations"
    'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details',
    'an error was encountered while running the model: unexpected EOF',
  ])('%s → MODEL_CRASHED that may pass: one retry, not three', (message) => {
    const e = midStream(message);
    expect(e.code).toBe('MODEL_CRASHED');
    expect(e.details?.deterministic).toBe(false);
    expect(isTransient({ ...e.toPayload() }, 1)).toBe(true);
    expect(isTransient({ ...e.toPayload() }, 2)).toBe(false);
  });
});

describe('other texts', () => {
  it('a prompt longer than the window with shifting off is PROMPT_TOO_LONG (llm/llama_server.go ≥ 0.30; runner "input length exceeds" 0.12.6 – 0.29)', () => {
    const e = withStatus(400, 'the prompt is longer than the context length currently available to the model; shorten the prompt, adjust the context length in settings, or use a model with a longer context length');
    expect(e.code).toBe('PROMPT_TOO_LONG');
    expect(isTransient(e.toPayload())).toBe(false);
    expect(midStream('the input length exceeds the context length').code).toBe('PROMPT_TOO_LONG');
  });

  it('the model-not-found texts of routes.go are MODEL_NOT_FOUND', () => {
    expect(withStatus(404, "model 'qwen9:1b' not found").code).toBe('MODEL_NOT_FOUND');
    expect(withStatus(404, 'model "qwen9:1b" not found, try pulling it first').code).toBe('MODEL_NOT_FOUND');
  });

  it('"server busy" (sched.go ErrMaxQueue, 503) stays a transient Ollama error', () => {
    const e = withStatus(503, 'server busy, please try again.  maximum pending requests exceeded');
    expect(e.code).toBe('OLLAMA_ERROR');
    expect(isTransient(e.toPayload())).toBe(true);
  });

  it('an unknown mid-stream error keeps its text and may be retried', () => {
    const e = midStream('error reading llama-server response: read: connection reset');
    expect(e.code).toBe('OLLAMA_ERROR');
    expect(e.details?.ollamaMessage).toBe('error reading llama-server response: read: connection reset');
    expect(isTransient(e.toPayload())).toBe(true);
  });

  it('undici\'s bare "terminated" (socket closed) is still a dropped stream, not a crash', () => {
    expect(midStream('terminated').code).toBe('STREAM_DROPPED');
  });
});
