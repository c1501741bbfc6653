import type { Target } from '../target/target';
import type { CheckContext } from './types';

/** What the checks need to judge exchanges with a target. */
export function checkContext(target: Target): CheckContext {
  const { spec, validators, contracts, effective } = target;
  return { spec, validators, contracts, config: effective };
}
