import { DEFAULT_SPEC, loadSpec, type Spec } from '../model/spec/load';

/** The spec the run is configured with, for test files that enumerate operations at load time. */
export function currentSpec(): Spec {
  return loadSpec(process.env.CONFORMANCE_SPEC || DEFAULT_SPEC);
}
