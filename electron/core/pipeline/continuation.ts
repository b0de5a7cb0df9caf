// Joining a continuation onto a cut-off answer is a model-call concern shared with chat tasks: it lives in llm/.
export { continuationRemainder, ContinuationJoiner } from '../llm/index.js';
