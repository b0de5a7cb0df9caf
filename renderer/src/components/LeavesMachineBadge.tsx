// "Leaves this machine": shown wherever a prompt goes (or went) to a provider beyond this
// machine and its local network — a cloud model, a provider card, a task or a step that used one.

interface Props {
  /** The provider(s) it goes to, by label or id; named in the tooltip. */
  providers: string[];
  /** Their hosts ("api.openai.com"), when known. */
  hosts?: string[];
  /** Past tense on tasks and steps ("sent … to"), present on models and providers. */
  past?: boolean;
  compact?: boolean;
  testId?: string;
}

export function leavesMachineTitle(providers: string[], hosts: string[] = [], past = false): string {
  const who = providers.length > 0 ? providers.join(', ') : 'a cloud provider';
  const where = hosts.length > 0 ? ` at ${hosts.join(', ')}` : '';
  return past ? `Prompts were sent off this machine to ${who}${where}.` : `Prompts sent to ${who}${where} leave this machine and its local network.`;
}

export function LeavesMachineBadge({ providers, hosts = [], past = false, compact = false, testId = 'leaves-machine-badge' }: Props) {
  const title = leavesMachineTitle(providers, hosts, past);
  return (
    <span className={`leaves-badge${compact ? ' leaves-badge-compact' : ''}`} title={title} data-testid={testId} role="note" aria-label={title}>
      <svg className="leaves-icon" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M4.5 13a3.5 3.5 0 0 1-.4-6.98A4.5 4.5 0 0 1 12.8 5.6 3.75 3.75 0 0 1 12 13H4.5Zm0-1.5H12a2.25 2.25 0 0 0 .18-4.49l-.73-.06-.12-.72a3 3 0 0 0-5.9.4l-.06.66-.66.05A2 2 0 0 0 4.5 11.5Z"
        />
      </svg>
      {compact ? 'cloud' : 'leaves this machine'}
    </span>
  );
}
