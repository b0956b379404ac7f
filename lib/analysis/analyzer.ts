import { MeshIndex, Resource } from './mesh-index';
import { MessageCode } from './messages';

/** Reports a finding about `resource` (at `field`, a path such as `spec.gateways[0]`). */
export type Report = (code: MessageCode, resource: Resource, message: string, field?: string) => void;

/** One check over the indexed mesh; analyzers only read the index and report. */
export interface Analyzer {
  /** The codes it can report. */
  readonly codes: readonly MessageCode[];
  /** Runs the check. */
  analyze(index: MeshIndex, report: Report): void;
}
