import { useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard.js';

export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!done) return;
    const t = setTimeout(() => setDone(null), 1_500);
    return () => clearTimeout(t);
  }, [done]);
  return (
    <button type="button" className="btn btn-small" data-testid={testId} onClick={() => void copyText(text).then((ok) => setDone(ok ? 'copied' : 'failed'))}>
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
