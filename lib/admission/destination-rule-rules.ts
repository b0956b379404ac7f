import { AdmissionRule, Json, Report, childPath, objectAt, objectsIn } from './rule';
import { checkExportTo, checkIstioHost, checkLabelMap, checkPort, checkSubsetName, checkWorkloadSelectorLabels } from './shared-checks';

/**
 * What Istio's webhook refuses in a DestinationRule beyond its CRD schema: the host, subset names
 * (DNS-1123 labels, unique) and labels, port-level settings' ports, exportTo (ValidateDestinationRule).
 */
export const destinationRuleRules: AdmissionRule = {
  kinds: ['networking.istio.io/DestinationRule'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkIstioHost(spec.host, 'spec.host', report);
    checkTrafficPolicy(objectAt(spec.trafficPolicy), 'spec.trafficPolicy', report);
    const names = new Set<string>();
    for (const [subset, path] of objectsIn(spec.subsets, 'spec.subsets')) {
      const namePath = childPath(path, 'name');
      if (subset.name === '') report(namePath, 'the subset name is empty', 'name the subset, e.g. after the version it selects');
      checkSubsetName(subset.name, namePath, report);
      if (typeof subset.name === 'string') {
        if (names.has(subset.name)) report(namePath, `subset "${subset.name}" is defined twice`, 'give each subset its own name');
        names.add(subset.name);
      }
      checkLabelMap(subset.labels, childPath(path, 'labels'), report);
      checkTrafficPolicy(objectAt(subset.trafficPolicy), childPath(path, 'trafficPolicy'), report);
    }
    checkExportTo(spec.exportTo, 'spec.exportTo', report, false);
    checkWorkloadSelectorLabels(objectAt(spec.workloadSelector)?.matchLabels, 'spec.workloadSelector.matchLabels', report);
  },
};

function checkTrafficPolicy(policy: Json | undefined, path: string, report: Report): void {
  if (policy === undefined) return;
  for (const [settings, settingsPath] of objectsIn(policy.portLevelSettings, childPath(path, 'portLevelSettings'))) {
    checkPort(objectAt(settings.port)?.number, childPath(childPath(settingsPath, 'port'), 'number'), report);
  }
  const tunnel = objectAt(policy.tunnel);
  if (tunnel !== undefined) checkPort(tunnel.targetPort, childPath(childPath(path, 'tunnel'), 'targetPort'), report);
}
