// gpt-oss's harmony format: a message header is `<|start|>role<|channel|>name [to=recipient] [<|constrain|>type]<|message|>`.

/** A harmony header as harmony/harmonyparser.go parseHeader reads it: role, channel, recipient. */
export function parseHarmonyHeader(raw: string): { role: string; channel: string; recipient: string } {
  let rest = raw.replace('<|constrain|>', ' <|constrain|>').trim();
  let channel = '';
  const at = rest.indexOf('<|channel|>');
  if (at !== -1) {
    const after = rest.slice(at + '<|channel|>'.length);
    const end = after.search(/\s/);
    channel = end === -1 ? after : after.slice(0, end);
    rest = (rest.slice(0, at) + (end === -1 ? '' : after.slice(end))).trim();
  }
  const tokens = rest.split(/\s+/).filter(Boolean);
  let role = tokens.shift() ?? 'assistant';
  let recipient = '';
  if (role.startsWith('to=')) {
    recipient = role.slice(3);
    role = 'tool';
  } else if (tokens[0]?.startsWith('to=')) {
    recipient = tokens[0].slice(3);
  }
  return { role, channel, recipient };
}
