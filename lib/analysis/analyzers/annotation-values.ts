import { jsYaml } from '../../core/js-yaml-lazy';
import { UINT32_MAX, isCidr, isPortNumber } from '../../core/network';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { annotatedObjects, annotationPath } from './annotated-resources';

/** Returns what is wrong with an annotation value, or undefined when the injector accepts it. */
type ValueCheck = (value: string) => string | undefined;

const commaList = (value: string) => value.split(',').map(v => v.trim()).filter(v => v !== '');

const oneOf = (...allowed: string[]): ValueCheck => v => (allowed.includes(v) ? undefined : `must be one of ${allowed.join(', ')}`);
const uint32: ValueCheck = v => (/^\d+$/.test(v) && Number(v) <= UINT32_MAX ? undefined : 'must be a whole number of at most 4294967295');
const statusPort: ValueCheck = v => (/^\d+$/.test(v) && Number(v) <= 65_535 ? undefined : 'must be a port number (0 to 65535)');
const bool: ValueCheck = v => (/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v) ? undefined : 'must be true or false');
const cidrs = (wildcard: boolean): ValueCheck => v => {
  if (wildcard && v.trim() === '*') return undefined;
  const bad = commaList(v).filter(c => !isCidr(c));
  return bad.length ? `${bad.join(', ')} ${bad.length === 1 ? 'is not a CIDR block' : 'are not CIDR blocks'}` : undefined;
};
const ports = (wildcard: boolean): ValueCheck => v => {
  if (wildcard && v.trim() === '*') return undefined;
  const bad = commaList(v).filter(p => !(/^\d+$/.test(p) && isPortNumber(Number(p))));
  return bad.length ? `${bad.join(', ')} ${bad.length === 1 ? 'is not a port number' : 'are not port numbers'}` : undefined;
};
const yamlMapping: ValueCheck = v => {
  try {
    const parsed: unknown = jsYaml().load(v);
    const mapping = parsed === undefined || parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed));
    return mapping ? undefined : 'must be a ProxyConfig mapping';
  } catch (e) {
    return `is not YAML: ${(e as Error).message.split('\n')[0]}`;
  }
};

/** The pod annotations whose values Istio's injector validates, with the check it applies. */
const CHECKS: ReadonlyMap<string, ValueCheck> = new Map([
  ['sidecar.istio.io/interceptionMode', oneOf('REDIRECT', 'TPROXY', 'NONE')],
  ['status.sidecar.istio.io/port', statusPort],
  ['readiness.status.sidecar.istio.io/initialDelaySeconds', uint32],
  ['readiness.status.sidecar.istio.io/periodSeconds', uint32],
  ['readiness.status.sidecar.istio.io/failureThreshold', uint32],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', cidrs(true)],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', cidrs(false)],
  ['traffic.sidecar.istio.io/includeInboundPorts', ports(true)],
  ['traffic.sidecar.istio.io/excludeInboundPorts', ports(false)],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', ports(false)],
  ['prometheus.istio.io/merge-metrics', bool],
  ['proxy.istio.io/config', yamlMapping],
]);

/** IST0125: a pod annotation whose value Istio's sidecar injector rejects (a bad mode, port, CIDR, number or ProxyConfig). */
export const annotationValues: Analyzer = {
  name: 'annotation-values',
  codes: ['IST0125'],
  analyze(index, report) {
    for (const object of annotatedObjects(index)) {
      if (object.kind !== 'Pod') continue;
      for (const [name, value] of Object.entries(object.annotations)) {
        const problem = CHECKS.get(name)?.(value);
        if (problem === undefined) continue;
        report(object.resource, msg.invalidAnnotation(name, `${JSON.stringify(value)} ${problem}`), annotationPath(object, name));
      }
    }
  },
};
