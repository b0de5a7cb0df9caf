/** Between attempts in the chat: what follows is the answer generated again from the start. */
export function AttemptDivider({ text }: { text: string }) {
  return (
    <div className="attempt-divider" data-testid="attempt-divider" role="separator">
      <span className="attempt-divider-text">{text}</span>
    </div>
  );
}
