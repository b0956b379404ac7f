import { BlockList } from 'net';
import { AdmissionRule, Json, Report, childPath, objectAt, objectsIn, stringsIn } from './rule';
import { PORT_FIX, checkPort } from './shared-checks';
import { expressionsValid } from './workload-selector-rules';
import { isIanaSvcName } from '../core/dns';
import { isCidr, isIpv4 } from '../core/network';

const CIDR_FIX = 'write a CIDR block such as "10.0.0.0/16" or "2001:db8::/32"';

/**
 * What the API server refuses in a NetworkPolicy beyond its schema: selectors with malformed
 * expressions; ports that are neither numbers nor port names, an `endPort` without a numeric
 * `port` or below it; peers that name no peer, or an ipBlock beside selectors; ipBlocks whose
 * `cidr` or `except` entries are not CIDR blocks, or whose exceptions are not inside the block.
 */
export const networkPolicyRules: AdmissionRule = {
  kinds: ['networking.k8s.io/NetworkPolicy'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    const podSelector = objectAt(spec.podSelector);
    if (podSelector !== undefined) expressionsValid(podSelector, 'spec.podSelector', report);
    for (const [direction, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
      for (const [rule, path] of objectsIn(spec[direction], `spec.${direction}`)) {
        for (const [port, at] of objectsIn(rule.ports, childPath(path, 'ports'))) checkPolicyPort(port, at, report);
        for (const [peer, at] of objectsIn(rule[peers], childPath(path, peers))) checkPeer(peer, at, report);
      }
    }
  },
};

function checkPolicyPort(port: Json, path: string, report: Report): void {
  const { port: number, endPort } = port;
  if (typeof number === 'string' && !isIanaSvcName(number)) {
    report(childPath(path, 'port'), `"${number}" is neither a port number nor a port name`,
      `${PORT_FIX}, or the name of a container port (at most 15 lower-case letters, digits and "-")`);
  } else if (typeof number === 'number') {
    checkPort(number, childPath(path, 'port'), report);
  }
  if (endPort === undefined) return;
  checkPort(endPort, childPath(path, 'endPort'), report);
  if (typeof number !== 'number') {
    report(childPath(path, 'endPort'), number === undefined ? 'endPort is set without a port' : 'endPort is set beside a named port',
      'set port to the first port number of the range');
  } else if (typeof endPort === 'number' && endPort < number) {
    report(childPath(path, 'endPort'), `endPort ${endPort} is below port ${number}`, `use an endPort of ${number} or more`);
  }
}

function checkPeer(peer: Json, path: string, report: Report): void {
  const selectors = ['podSelector', 'namespaceSelector'].filter(key => peer[key] !== undefined);
  const ipBlock = objectAt(peer.ipBlock);
  if (selectors.length === 0 && ipBlock === undefined) {
    report(path, 'the peer names no peer', 'set podSelector and/or namespaceSelector, or ipBlock');
  } else if (selectors.length > 0 && ipBlock !== undefined) {
    report(childPath(path, 'ipBlock'), `the peer sets ipBlock beside ${selectors.join(' and ')}`,
      'give the ipBlock a peer of its own (the list of peers is a union)');
  }
  for (const key of selectors) {
    const selector = objectAt(peer[key]);
    if (selector !== undefined) expressionsValid(selector, childPath(path, key), report);
  }
  if (ipBlock !== undefined) checkIpBlock(ipBlock, childPath(path, 'ipBlock'), report);
}

function checkIpBlock(block: Json, path: string, report: Report): void {
  if (typeof block.cidr !== 'string') return;
  if (!isCidr(block.cidr)) {
    report(childPath(path, 'cidr'), `"${block.cidr}" is not a CIDR block`, CIDR_FIX);
    return;
  }
  const [address, bits] = splitCidr(block.cidr);
  const family = isIpv4(address) ? 'ipv4' : 'ipv6';
  const inside = new BlockList();
  inside.addSubnet(address, bits, family);
  for (const [except, at] of stringsIn(block.except, childPath(path, 'except'))) {
    if (!isCidr(except)) {
      report(at, `"${except}" is not a CIDR block`, CIDR_FIX);
      continue;
    }
    const [exceptAddress, exceptBits] = splitCidr(except);
    const sameFamily = isIpv4(exceptAddress) === (family === 'ipv4');
    if (!sameFamily || exceptBits <= bits || !inside.check(exceptAddress, family)) {
      report(at, `${except} is not inside ${block.cidr} (an exception must be a smaller block within it)`,
        `except a block within ${block.cidr}, or widen cidr`);
    }
  }
}

/** A valid CIDR block's address and prefix length. */
function splitCidr(cidr: string): [string, number] {
  const slash = cidr.indexOf('/');
  return [cidr.slice(0, slash), Number(cidr.slice(slash + 1))];
}
