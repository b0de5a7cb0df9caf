// "Leaves this machine" on what already ran: a step whose calls went to a cloud provider
// (StepRecord.usage.leftMachine / providers), a chat answer whose usage event says so, and a
// task whose model ref names a provider that leaves this machine.
import type { ModelUsage } from '../../../shared/index.js';
import { hostOf, providerOfRef, useProviders } from '../store/providers.js';
import { LeavesMachineBadge } from './LeavesMachineBadge.js';

/** Labels and hosts for provider ids, as far as the configuration still knows them. */
function useNamed(ids: string[]): { names: string[]; hosts: string[] } {
  const providers = useProviders((s) => s.config?.providers);
  const views = ids.map((id) => providers?.find((p) => p.id === id));
  return {
    names: ids.map((id, i) => views[i]?.label || id),
    hosts: views.flatMap((v) => (v && v.leavesMachine ? [hostOf(v.baseUrl)] : [])),
  };
}

/** The providers of a step that left the machine: those configured as leaving, else all it names. */
export function StepLeavesBadge({ usage }: { usage: Pick<ModelUsage, 'leftMachine' | 'providers'> }) {
  const ids = usage.providers ?? [];
  const named = useNamed(ids);
  if (!usage.leftMachine) return null;
  // Compact ("cloud", the picker's word): under a chat answer the head already carries the full badge, and a
  // build's step rows are narrow; the sentence naming provider and host is in its title and label.
  return <LeavesMachineBadge past compact providers={named.names} hosts={named.hosts} testId="step-leaves-badge" />;
}

/** On a task (its answer's head): it used a cloud provider, or its model is a cloud provider's. */
export function TaskLeavesBadge({ model, leftMachine, provider }: { model: string | null; leftMachine: boolean; provider: string | null }) {
  const config = useProviders((s) => s.config);
  const view = providerOfRef(config, model);
  const ids = provider ? [provider] : view ? [view.id] : [];
  const named = useNamed(ids);
  if (!leftMachine && !view?.leavesMachine) return null;
  return <LeavesMachineBadge past={leftMachine} providers={named.names} hosts={named.hosts} testId="task-leaves-badge" />;
}

/** Where the picked model sends prompts, in words: "Ollama", "LM Studio", … */
export function ProviderName({ model }: { model: string | null }) {
  const config = useProviders((s) => s.config);
  const view = providerOfRef(config, model);
  return <>{view ? view.label || view.id : 'Ollama'}</>;
}

/** "Nothing leaves this machine." unless the picked model is a cloud provider's: then where prompts go. */
export function PromptDestination({ model }: { model: string | null }) {
  const config = useProviders((s) => s.config);
  const view = providerOfRef(config, model);
  if (!view?.leavesMachine) return <>Nothing leaves this machine.</>;
  return (
    <span data-testid="prompt-destination" data-leaves="true">
      Prompts go to {view.label || view.id} at {hostOf(view.baseUrl)}: they leave this machine.
    </span>
  );
}
