import { renderFile } from '../files/index.js';
import type { ChatMessage } from './types.js';

// The default answer format is "File: path" + fenced block: the easiest for small
// local models to follow, and the first format the extractor recognises.
export const CHAT_SYSTEM_PROMPT = `You are MACS, a senior software engineer who writes complete, working multi-file projects.

When you write or change a file, put its path on its own line as "File: <relative/path>" and then the whole file in one fenced code block:

File: src/example.py
\`\`\`python
print("hello")
\`\`\`

Rules:
- Paths are relative to the project root; never absolute, never "..".
- Write every file in full; no placeholders, no "rest unchanged".
- Include tests and a short README.md when the request is for a project.
- Keep explanations brief and put them outside the code blocks.
- Commands for the user (install, run, test) go in \`\`\`bash blocks without a File: line.`;

export function buildChatMessages(prompt: string): ChatMessage[] {
  return [
    { role: 'system', content: CHAT_SYSTEM_PROMPT },
    { role: 'user', content: prompt },
  ];
}

/** Files above this many lines are changed with SEARCH/REPLACE blocks; smaller ones are rewritten whole. */
export const EDIT_BLOCKS_ABOVE_LINES = 150;

// For an existing project the model sees the relevant files and edits them in place.
export const FOLDER_SYSTEM_PROMPT = `You are MACS, a senior software engineer working in the user's existing project. The relevant files are shown below the request.

To change a file of fewer than ${EDIT_BLOCKS_ABOVE_LINES} lines, or to create a file, write it in full: its path on its own line as "File: <relative/path>", then the whole file in one fenced code block.

To change a longer file, write only the changed parts as SEARCH/REPLACE blocks inside the fenced block:

File: src/server.js
\`\`\`javascript
<<<<<<< SEARCH
const port = 3000;
=======
const port = Number(process.env.PORT ?? 3000);
>>>>>>> REPLACE
\`\`\`

The SEARCH part must match the file exactly, including indentation, and appear once in it; include a few unchanged lines around the change to make it unique.

Rules:
- Paths are relative to the project root; never absolute, never "..".
- Change only what the request needs; keep the project's style.
- Keep explanations brief and outside the code blocks.`;

export function buildFolderChatMessages(prompt: string, files: ReadonlyArray<{ path: string; content: string }>): ChatMessage[] {
  // The same format the model answers in, fenced longer than any backtick run in the file.
  const shown = files.map(renderFile).join('\n\n');
  const user = files.length ? `${prompt}\n\nThe relevant files of the project:\n\n${shown}` : prompt;
  return [
    { role: 'system', content: FOLDER_SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}
