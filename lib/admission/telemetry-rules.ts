import { AdmissionRule, childPath, objectAt, objectsIn } from './rule';
import { checkWorkloadSelectorLabels } from './shared-checks';

/** What Istio's webhook refuses in a Telemetry: providers without a name, a sampling percentage outside 0–100, selector wildcards. */
export const telemetryRules: AdmissionRule = {
  kinds: ['telemetry.istio.io/Telemetry'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkWorkloadSelectorLabels(objectAt(spec.selector)?.matchLabels, 'spec.selector.matchLabels', report);
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
