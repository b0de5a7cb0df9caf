import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../types.js';
import { saysResponseFormatUnsupported } from './error-texts.js';

type ResponseFormat = NonNullable<ChatCompletionCreateParamsStreaming['response_format']>;

/**
 * What the request body carries beyond the messages. Servers differ in what they accept, and say
 * so with a 400 naming the parameter; each adaptation is made at most once per request, so a
 * request is sent at most five times before its error is passed on.
 */
export interface RequestShape {
  responseFormat: ResponseFormat | undefined;
  /** OpenAI's reasoning models (o1, o3, gpt-5) refuse max_tokens and want max_completion_tokens. */
  tokenCapField: 'max_tokens' | 'max_completion_tokens';
  sendTemperature: boolean;
  sendStreamOptions: boolean;
}

/** ChatRequest.format as OpenAI's response_format: a schema → json_schema (not strict: local servers vary), 'json' → json_object. */
export function responseFormatFor(format: ChatRequest['format']): ResponseFormat | undefined {
  if (format === undefined) return undefined;
  if (format === 'json') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: 'answer', schema: format, strict: false } };
}

export function initialShape(request: ChatRequest): RequestShape {
  return { responseFormat: responseFormatFor(request.format), tokenCapField: 'max_tokens', sendTemperature: true, sendStreamOptions: true };
}

/** The request body. numCtx is not sent: these servers fix the window when they load the model. */
export function requestBody(request: ChatRequest, shape: RequestShape): ChatCompletionCreateParamsStreaming {
  return {
    model: request.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    ...(shape.sendStreamOptions ? { stream_options: { include_usage: true } } : {}),
    ...(request.temperature === undefined || !shape.sendTemperature ? {} : { temperature: request.temperature }),
    ...(request.numPredict === undefined ? {} : { [shape.tokenCapField]: request.numPredict }),
    ...(shape.responseFormat === undefined ? {} : { response_format: shape.responseFormat }),
  };
}

/**
 * The shape to try after a 400 that names something this request sent, or null when there is
 * nothing left to change (the error is then passed on). Wordings:
 *  - OpenAI: `{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use
 *    'max_completion_tokens' instead.","param":"max_tokens","code":"unsupported_parameter"}`
 *    (reported in teilomillet/gollm#33, griptape-ai/ComfyUI-Griptape#312 for o1, o3-mini, gpt-5);
 *    "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1)
 *    value is supported." (param "temperature", code "unsupported_value");
 *  - response_format: LM Studio refuses json_object, older servers json_schema (error-texts.ts);
 *  - stream_options: servers that validate strictly and predate include_usage name it.
 */
export function adaptAfterRefusal(request: ChatRequest, shape: RequestShape, message: string, param: unknown): RequestShape | null {
  if (request.numPredict !== undefined && shape.tokenCapField === 'max_tokens' && (param === 'max_tokens' || /max_completion_tokens/.test(message))) {
    return { ...shape, tokenCapField: 'max_completion_tokens' };
  }
  if (request.temperature !== undefined && shape.sendTemperature && (param === 'temperature' || /'temperature'/.test(message))) {
    return { ...shape, sendTemperature: false };
  }
  if (shape.responseFormat !== undefined && saysResponseFormatUnsupported(message, param)) {
    return { ...shape, responseFormat: undefined };
  }
  if (shape.sendStreamOptions && (param === 'stream_options' || /stream_options|include_usage/.test(message))) {
    return { ...shape, sendStreamOptions: false };
  }
  return null;
}
