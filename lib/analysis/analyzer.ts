import { MeshIndex, Resource } from './mesh-index';
import { Message } from './message-constructors';
import { MessageCode } from './messages';

/**
 * Reports a finding about `resource` (at `field`, a path such as `spec.gateways[0]`), with a
 * message made by a constructor of `msg` (message-constructors.ts).
 */
export type Report = (resource: Resource, message: Message, field?: string) => void;

/** One check over the indexed mesh; analyzers only read the index and report. */
export interface Analyzer {
  /**
   * A name for internal-error messages, e.g. `gateway-not-bound`.
   * @default its codes
   */
  readonly name?: string;
  /** The codes it can report. */
  readonly codes: readonly MessageCode[];
  /** Runs the check. */
  analyze(index: MeshIndex, report: Report): void;
}

/**
 * An analyzer threw: a bug in the analyzer, not a problem of the input (the CLI exits with
 * code 3 on it). The message names the analyzer; `cause` is the original error.
 */
export class AnalyzerError extends Error {
  constructor(
    /** The analyzer's name. */
    public readonly analyzer: string,
    /** What it threw. */
    public readonly cause: unknown,
  ) {
    super(`internal error in analyzer ${analyzer}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'AnalyzerError';
  }
}

/** The name of an analyzer: its own, or its codes. */
export function analyzerName(analyzer: Analyzer): string {
  return analyzer.name ?? analyzer.codes.join('+');
}
