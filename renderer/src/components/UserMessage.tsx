export function UserMessage({ text }: { text: string }) {
  return (
    <div className="msg msg-user" data-testid="chat-message-user">
      <div className="msg-user-bubble">{text}</div>
    </div>
  );
}
