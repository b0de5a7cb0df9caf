/**
 * A key out of any text a server or client library hands back (error bodies that echo the
 * request, SDK messages): the raw key, and the forms it takes when a server quotes it inside a
 * URL or a JSON string. Every provider's error mapping goes through this one function.
 */
export function scrubSecret(text: string, secret: string | null | undefined, mark = '[key hidden]'): string {
  if (!secret || secret.length < 4) return text;
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret).replace(/%20/g, '+')]);
  let out = text;
  for (const form of forms) out = out.split(form).join(mark);
  return out;
}
