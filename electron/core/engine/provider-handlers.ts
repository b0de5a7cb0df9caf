import type { ContractHandlers } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import type { EngineContext } from './engine-context.js';

type ProviderHandlers = Pick<
  ContractHandlers,
  'providers.get' | 'providers.update' | 'providers.setKey' | 'providers.deleteKey' | 'providers.status' | 'providers.models' | 'providers.exportYaml' | 'providers.importYaml'
>;

// IN PROGRESS (issue 17): replaced by the providers helper's implementation before this lands.
export function createProviderHandlers(_ctx: EngineContext): ProviderHandlers {
  const notYet = async (): Promise<never> => {
    throw new MacsError('NOT_SUPPORTED', 'Providers are being wired in (issue 17).');
  };
  return {
    'providers.get': notYet,
    'providers.update': notYet,
    'providers.setKey': notYet,
    'providers.deleteKey': notYet,
    'providers.status': notYet,
    'providers.models': notYet,
    'providers.exportYaml': notYet,
    'providers.importYaml': notYet,
  };
}
