import { FailingCase, expectAccepted, expectProblemAt, podWith } from './documents';

type Json = Record<string, unknown>;

const claim = (spec: Json): Json => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' }, spec });

/** A StatefulSet with one volume claim template of the given spec. */
const statefulSet = (claimSpec: Json): Json => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'shop' },
  spec: {
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: podWith({ volumeMounts: [{ name: 'data', mountPath: '/data' }] }) },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: claimSpec }],
  },
});

const failing: FailingCase[] = [
  { name: 'a claim without access modes', doc: claim({ resources: { requests: { storage: '1Gi' } } }), path: 'spec.accessModes', says: 'the claim has no access mode', fix: '["ReadWriteOnce"]' },
  { name: 'ReadWriteOncePod with another mode', doc: claim({ accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'], resources: { requests: { storage: '1Gi' } } }), path: 'spec.accessModes', says: 'ReadWriteOncePod cannot be combined', fix: 'alone' },
  { name: 'a StorageClass name in upper case', doc: claim({ accessModes: ['ReadWriteOnce'], storageClassName: 'Fast_SSD', resources: { requests: { storage: '1Gi' } } }), path: 'spec.storageClassName', says: '"Fast_SSD" is not a StorageClass name', fix: 'lower-case' },
  { name: 'a claim without a storage request', doc: claim({ accessModes: ['ReadWriteOnce'] }), path: 'spec.resources.requests', says: 'the claim requests no storage', fix: '"10Gi"' },
  { name: 'a storage request of 0', doc: claim({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0' } } }), path: 'spec.resources.requests.storage', says: 'a storage request of "0"', fix: 'more than 0' },
  { name: 'a StatefulSet claim template without a storage request', doc: statefulSet({ accessModes: ['ReadWriteOnce'] }), path: 'spec.volumeClaimTemplates[0].spec.resources.requests', says: 'requests no storage', fix: 'resources.requests.storage' },
];

describe('volume claim rules (the API server\'s PersistentVolumeClaim validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('complete claims pass', () => {
    expectAccepted(claim({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'fast' }));
    expectAccepted(statefulSet({ accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '1Gi' } } }));
    expectAccepted(claim({ accessModes: ['ReadWriteOncePod', 'ReadWriteOncePod'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' }));
  });
});
