// A file name cut in the middle when it does not fit: the head shrinks behind an ellipsis,
// the tail (the stem's last characters and the extension) always shows. Pure CSS (no
// measuring), so a virtualised tree of thousands of rows costs nothing extra.
import { splitForMiddleEllipsis } from '../lib/middle-ellipsis.js';

export function MiddleEllipsis({ text, className, title }: { text: string; className?: string; title?: string }) {
  const { head, tail } = splitForMiddleEllipsis(text);
  return (
    <span className={`mid-ellipsis${className ? ` ${className}` : ''}`} title={title} data-full={text}>
      <span className="mid-ellipsis-head">{head}</span>
      {tail && <span className="mid-ellipsis-tail">{tail}</span>}
    </span>
  );
}
