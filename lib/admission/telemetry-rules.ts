import { AdmissionRule, childPath, objectAt, objectsIn } from './rule';
import { checkPolicyTargets, checkWorkloadSelectorLabels } from './shared-checks';
import { celSyntaxProblem } from '../analysis/schema/cel-rules';

/**
 * What Istio's webhook refuses in a Telemetry: providers without a name, a sampling percentage
 * outside 0–100, selector wildcards, targets that are not Services, ServiceEntries or Gateways,
 * and access log filters that do not parse as CEL.
 */
export const telemetryRules: AdmissionRule = {
  kinds: ['telemetry.istio.io/Telemetry'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkWorkloadSelectorLabels(objectAt(spec.selector)?.matchLabels, 'spec.selector.matchLabels', report);
    checkPolicyTargets(spec, report);
    for (const [entry, path] of objectsIn(spec.accessLogging, 'spec.accessLogging')) {
      const expression = objectAt(entry.filter)?.expression;
      const problem = typeof expression === 'string' ? celSyntaxProblem(expression) : undefined;
      if (problem !== undefined) {
        report(childPath(childPath(path, 'filter'), 'expression'), `the filter is not a CEL expression (${problem})`,
          'write a CEL expression over the request attributes, e.g. "response.code >= 400"');
      }
    }
    for (const list of ['metrics', 'tracing', 'accessLogging']) {
      for (const [entry, path] of objectsIn(spec[list], childPath('spec', list))) {
        for (const [provider, providerPath] of objectsIn(entry.providers, childPath(path, 'providers'))) {
          if (typeof provider.name !== 'string' || provider.name === '') {
            report(childPath(providerPath, 'name'), 'the provider has no name',
              'name an extension provider of the mesh config, e.g. "prometheus" or "otel"');
          }
        }
        const sampling = entry.randomSamplingPercentage;
        if (typeof sampling === 'number' && (sampling < 0 || sampling > 100)) {
          report(childPath(path, 'randomSamplingPercentage'), `${sampling} is not a percentage`, 'use a number from 0 to 100');
        }
      }
    }
  },
};
