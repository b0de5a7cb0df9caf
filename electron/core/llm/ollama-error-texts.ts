/**
 * What Ollama's error texts mean. An {"error": …} line that arrives mid-stream has no status
 * code (server/routes.go streamResponse encodes only the text once bytes were written), so
 * the text is all there is to decide on. Read against the Ollama source mirrored at
 * /work/.mirror/ollama+ollama (HEAD = v0.33.0-rc2; the Go runners before 0.30 read at
 * 9db4bdbad^, the commit that replaced them with llama-server).
 *
 * Out of memory (all → MODEL_OUT_OF_MEMORY: the same model with the same context will not
 * fit on the next try either):
 *
 * | text                                                     | where                                            | versions     |
 * |----------------------------------------------------------|--------------------------------------------------|--------------|
 * | unable to load full model on GPU                         | llm/server.go ErrLoadRequiredFull (sched.go)     | all          |
 * | llama-server reported out-of-memory during startup: …    | llm/llama_server.go WaitUntilRunning             | ≥ 0.30       |
 * | model requires X but only Y are available (after …)      | x/mlxrunner/client.go Load                       | ≥ 0.30 (MLX) |
 * | out of memory, out of device memory, cudaMalloc failed,  | llm/status.go outOfMemorySubstrings, matched in  | ≥ 0.30; the  |
 * | hipMalloc failed, failed to allocate, allocation failed, | llama-server's log and passed on in errors       | same words   |
 * | not enough memory, insufficient memory,                  | (statusErrorMessage, lastErrMsg)                 | in older     |
 * | vk_error_out_of_device_memory, erroroutofmemory          |                                                  | runner logs  |
 * | model requires more system memory (X) than is available  | llm/server.go (Go runners)                       | ≤ 0.29       |
 * | failed to allocate memory for model                      | llm/server.go                                    | ≤ 0.29       |
 * | memory layout cannot be allocated[ with num_gpu = N]     | llm/server.go                                    | ≤ 0.29       |
 * | failed to commit memory for model                        | llm/server.go                                    | ≤ 0.29       |
 *
 * Model crashes (→ MODEL_CRASHED). The runner process died; Ollama restarts it on the next
 * request. Deterministic when its last log line names the cause (llm/status.go errorPrefixes:
 * GGML_ASSERT, panic:, fatal error:, error loading model, CUDA/ROCm error, the DeepSeek2
 * K-shift, llama_init_from_model:) or when it died while loading (the same load fails the
 * same way): not retried. Without a cause ("model runner has unexpectedly stopped, this may be
 * due to resource limitations …", "an error was encountered while running the model:
 * unexpected EOF") it may be the OS reclaiming memory or Ollama restarting: retried once.
 *
 * | text                                                     | where                                            | versions     |
 * |----------------------------------------------------------|--------------------------------------------------|--------------|
 * | llama-server process has terminated[: exit status N][: …]| llm/llama_server.go WaitUntilRunning (loading)   | ≥ 0.30       |
 * | llama runner process has terminated[: …]                 | llm/server.go WaitUntilRunning (loading)         | ≤ 0.29       |
 * | model runner has unexpectedly stopped, this may be due … | llm/llama_server.go, llm/server.go Completion    | all          |
 * | an error was encountered while running the model: …      | llm/llama_server.go, llm/server.go Completion    | all          |
 * | model failed to load, this may be due to resource …      | llm/server.go load                               | ≤ 0.29       |
 *
 * A prompt longer than the window when shifting is off (→ PROMPT_TOO_LONG, 400):
 * "the prompt is longer than the context length currently available to the model; …"
 * (llm/llama_server.go completionPromptForRequest, ≥ 0.30) and "the input length exceeds the
 * context length" (runner/ollamarunner/runner.go errorInputTooLong, 0.12.6 – 0.29).
 */

const OUT_OF_MEMORY = [
  'unable to load full model on gpu',
  'reported out-of-memory',
  'requires more system memory',
  'failed to allocate memory for model',
  'memory layout cannot be allocated',
  'failed to commit memory for model',
  // llm/status.go outOfMemorySubstrings
  'out of memory',
  'out of device memory',
  'cudamalloc failed',
  'hipmalloc failed',
  'failed to allocate',
  'allocation failed',
  'not enough memory',
  'insufficient memory',
  'vk_error_out_of_device_memory',
  'erroroutofmemory',
  'erroroutofdevicememory', // vulkan-hpp's exception text (vk::Device::allocateMemory: ErrorOutOfDeviceMemory); not in Ollama's list
];
/** x/mlxrunner/client.go: "model requires 21.3 GiB but only 7.9 GiB are available (after … overhead)". */
const MLX_DOES_NOT_FIT = /model requires \S+ \S+ but only .* (are|is) available/i;

const CRASH = [
  'process has terminated', // llama-server (≥ 0.30) and llama runner (≤ 0.29), while loading
  'model runner has unexpectedly stopped',
  'an error was encountered while running the model',
  'model failed to load',
  'llama runner process no longer running',
  'llama-server process no longer running',
];
/** The runner's last log line says why it died (llm/status.go errorPrefixes): the same input dies the same way. */
const CRASH_CAUSE = [
  'ggml_assert',
  'panic:',
  'fatal error:',
  'error loading model',
  'cuda error',
  'rocm error',
  'does not support k-shift',
  'llama_init_from_model:',
  'signal arrived during cgo execution',
  'unknown model architecture',
];

const PROMPT_TOO_LONG = ['the prompt is longer than the context length', 'the input length exceeds the context length'];

export type OllamaTextKind = 'out-of-memory' | 'crash' | 'prompt-too-long' | null;

export function classifyOllamaText(message: string): { kind: OllamaTextKind; deterministic: boolean } {
  const text = message.toLowerCase();
  if (OUT_OF_MEMORY.some((s) => text.includes(s)) || MLX_DOES_NOT_FIT.test(message)) return { kind: 'out-of-memory', deterministic: true };
  if (PROMPT_TOO_LONG.some((s) => text.includes(s))) return { kind: 'prompt-too-long', deterministic: true };
  if (CRASH.some((s) => text.includes(s))) {
    // Died while loading (process has terminated): the same model and options fail the same way.
    const deterministic = CRASH_CAUSE.some((s) => text.includes(s)) || text.includes('process has terminated');
    return { kind: 'crash', deterministic };
  }
  if (CRASH_CAUSE.some((s) => text.includes(s))) return { kind: 'crash', deterministic: true };
  return { kind: null, deterministic: false };
}
