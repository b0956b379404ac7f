import * as fs from 'fs';
import * as path from 'path';
import { EXIT, Output, parseCommandArgs, readCommandInputs, usageError, writeCall } from './command-input';
import { AnalysisInput } from '../analysis/mesh-index';
import { STDIN_PATH, UnreadableInputError } from '../analysis/read-manifests';
import { meshGraph } from '../graph/model';
import { renderMeshHtml } from '../graph/render';

const USAGE = `Usage: cdk8s-istio graph <file|dir|->... [-o mesh.html] [--title <text>] [--recursive]

Writes one self-contained HTML file (inline SVG, no network) picturing the mesh of the manifests:
namespaces with their mTLS mode, gateways and their hosts, services and their versions, route
edges labelled with their matches and weights, allowed calls and denied ones (greyed) from the
AuthorizationPolicies, and the analysis findings on the nodes they concern. Directories are read
like \`kubectl apply -f\` (subfolders with --recursive); - reads the standard input.
Exit code: 0 written, 2 unreadable input or bad usage, 3 internal error.`;

/** Runs `graph` with its arguments; returns the exit code. */
export function graphCommand(args: readonly string[], io: Output): number {
  const parsed = parseCommandArgs(args, {
    out: { type: 'string', short: 'o', default: 'mesh.html' },
    title: { type: 'string' },
    recursive: { type: 'boolean', short: 'R', default: false },
  }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) return usageError(io, 'no files or directories given', USAGE);
  if (values.out === '') return usageError(io, '-o is empty (give the HTML file to write)', USAGE);
  let inputs: AnalysisInput[];
  try {
    let files: readonly string[];
    ({ inputs, files } = readCommandInputs(positionals, { recursive: values.recursive!, io, schemaValid: true }));
    const out = realPathOrSelf(values.out!);
    if (files.some(f => f !== STDIN_PATH && realPathOrSelf(f) === out)) {
      throw new UnreadableInputError(`${values.out}: is one of the manifest files read; writing the picture there would replace it. `
        + 'Fix: give another file to -o, e.g. mesh.html');
    }
    const dir = fs.statSync(path.dirname(path.resolve(values.out!)), { throwIfNoEntry: false });
    if (!dir?.isDirectory()) throw new UnreadableInputError(`${values.out}: its folder does not exist. Fix: create it, or write elsewhere`);
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
    io.err(`Error: ${e.message}\n`);
    return EXIT.UNREADABLE;
  }
  const graph = meshGraph(inputs);
  const title = values.title ?? `Mesh of ${positionals.join(', ')}`;
  try {
    writeCall(values.out!, () => fs.writeFileSync(values.out!, renderMeshHtml(graph, { title })));
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
    io.err(`Error: ${e.message}\n`);
    return EXIT.UNREADABLE;
  }
  const services = graph.nodes.filter(n => n.kind === 'service').length;
  io.out(`Wrote ${values.out}: ${graph.namespaces.length} namespace(s), ${services} service(s), ${graph.edges.length} edge(s).\n`);
  return EXIT.CLEAN;
}

/** The real path of a file (symbolic links resolved), or its absolute path when it does not exist yet. */
function realPathOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
