import { AdmissionRule, Json, Report, childPath, listAt, objectAt, objectsIn } from './rule';
import { isDnsSubdomain } from '../core/dns';
import { quantityValue } from '../core/quantity';

/**
 * What the API server refuses in a PersistentVolumeClaim, and in a StatefulSet's
 * volumeClaimTemplates, beyond the schema: no access mode, ReadWriteOncePod beside another mode,
 * no storage request, or one that is not above zero, a storageClassName that is no object name.
 * (The API server checks a StatefulSet's templates from Kubernetes 1.34; before, the StatefulSet
 * is taken and its controller then fails to create the claims.)
 */
export const volumeClaimRules: AdmissionRule = {
  kinds: ['/PersistentVolumeClaim', 'apps/StatefulSet'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    if (doc.kind === 'PersistentVolumeClaim') return checkClaimSpec(spec, 'spec', report);
    for (const [claim, path] of objectsIn(spec.volumeClaimTemplates, 'spec.volumeClaimTemplates')) {
      const claimSpec = objectAt(claim.spec);
      if (claimSpec !== undefined) checkClaimSpec(claimSpec, childPath(path, 'spec'), report);
    }
  },
};

function checkClaimSpec(spec: Json, path: string, report: Report): void {
  const modes = listAt(spec.accessModes);
  if (modes.length === 0) {
    report(childPath(path, 'accessModes'), 'the claim has no access mode', 'set accessModes, such as ["ReadWriteOnce"]');
  } else if (modes.includes('ReadWriteOncePod') && modes.some(mode => mode !== 'ReadWriteOncePod')) {
    report(childPath(path, 'accessModes'), 'ReadWriteOncePod cannot be combined with other access modes', 'use ReadWriteOncePod alone');
  }
  if (typeof spec.storageClassName === 'string' && spec.storageClassName !== '' && !isDnsSubdomain(spec.storageClassName)) {
    report(childPath(path, 'storageClassName'), `"${spec.storageClassName}" is not a StorageClass name`,
      'name the StorageClass: lower-case letters, digits, "-" and "."');
  }
  const requestsPath = ['resources', 'requests'].reduce(childPath, path);
  const storage = objectAt(objectAt(spec.resources)?.requests)?.storage;
  if (storage === undefined) {
    report(requestsPath, 'the claim requests no storage', 'set resources.requests.storage, such as "10Gi"');
    return;
  }
  const amount = typeof storage === 'number' ? storage : typeof storage === 'string' ? quantityValue(storage) : undefined;
  if (amount !== undefined && amount <= 0) {
    report(childPath(requestsPath, 'storage'), `a storage request of ${JSON.stringify(storage)}`, 'request more than 0, such as "10Gi"');
  }
}
