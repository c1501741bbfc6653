import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckedYaml } from '../yaml-file';
import { SDK_POLICY_SCHEMA } from './schema';

/** A finding known of builds before, reported and not blocking until it expires. */
export interface KnownSdkFinding {
  rule: string;
  owner: string;
  reason: string;
  /** YYYY-MM-DD; from that day on the finding blocks again. */
  expires: string;
}

/**
 * The SDK gate's release policy (contracts/sdk-gate.yaml): which rules block a release (the rest
 * are reported), and the findings known of earlier builds (owner, reason, expiry), which are
 * reported until they expire. A rule it names in neither list blocks: an unknown defect is not
 * waved through.
 */
export class SdkPolicy {
  private readonly reported: Set<string>;

  constructor(
    readonly block: string[],
    report: string[],
    readonly known: KnownSdkFinding[],
    private readonly today = new Date().toISOString().slice(0, 10),
  ) {
    this.reported = new Set(report);
  }

  blocks(rule: string): boolean {
    return !this.reported.has(rule);
  }

  /** The entry saying a rule is known, if it is and has not expired. */
  knownEntry(rule: string): KnownSdkFinding | undefined {
    return this.known.find((k) => k.rule === rule && k.expires > this.today);
  }
}

export function loadSdkPolicy(dir: string): SdkPolicy {
  const file = join(dir, 'sdk-gate.yaml');
  if (!existsSync(file)) return new SdkPolicy([], [], []);
  const raw = readCheckedYaml<{ block: string[]; report: string[]; known?: KnownSdkFinding[] }>(file, SDK_POLICY_SCHEMA, 'SDK gate policy');
  return new SdkPolicy(raw.block, raw.report, raw.known ?? []);
}
