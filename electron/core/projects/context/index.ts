// Public face of a turn's context: what a project turn sends the model (the project's files
// as they are now within a budget, a map of the rest, the conversation so far) and its receipt.
export { prepareTurnContext, type PrepareTurnInput, type TurnContext } from './prepare-turn.js';
export { TURN_SYSTEM_PROMPT, buildTurnMessages, conversationBlock } from './turn-messages.js';
export { emitWithReceipt } from './receipt.js';
export { accountOf, fitConversation } from './conversation.js';
export { renderFileMap } from './file-map.js';
