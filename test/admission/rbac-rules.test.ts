import { FailingCase, expectAccepted, expectProblemAt } from './documents';

type Json = Record<string, unknown>;

const RBAC = 'rbac.authorization.k8s.io/v1';

const role = (kind: 'Role' | 'ClusterRole', rules: Json[]): Json => ({ apiVersion: RBAC, kind, metadata: { name: 'reader', ...kind === 'Role' ? { namespace: 'shop' } : {} }, rules });

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', roleRef: Json, subjects: Json[]): Json {
  return { apiVersion: RBAC, kind, metadata: { name: 'reader', ...kind === 'RoleBinding' ? { namespace: 'shop' } : {} }, roleRef, subjects };
}

const toClusterRole = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' };
const sa = (fields: Json = {}): Json => ({ kind: 'ServiceAccount', name: 'web', namespace: 'shop', ...fields });

const failing: FailingCase[] = [
  { name: 'a rule without verbs', doc: role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: [] }]), path: 'rules[0].verbs', says: 'the rule has no verbs', fix: '["get", "list", "watch"]' },
  { name: 'a resource rule without apiGroups (the core group is "")', doc: role('ClusterRole', [{ resources: ['pods'], verbs: ['get'] }]), path: 'rules[0].apiGroups', says: 'lists no apiGroups, so it matches no resource', fix: '"" for the core group' },
  { name: 'a resource rule without resources', doc: role('Role', [{ apiGroups: ['apps'], verbs: ['get'] }]), path: 'rules[0].resources', says: 'lists no resources', fix: '["pods"]' },
  { name: 'non-resource URLs in a Role', doc: role('Role', [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]), path: 'rules[0].nonResourceURLs', says: 'a Role\'s rules cannot grant non-resource URLs', fix: 'ClusterRole' },
  { name: 'non-resource URLs beside resources', doc: role('ClusterRole', [{ apiGroups: [''], resources: ['pods'], nonResourceURLs: ['/metrics'], verbs: ['get'] }]), path: 'rules[0].nonResourceURLs', says: 'grants resources and non-resource URLs together', fix: 'a rule of their own' },
  { name: 'a ClusterRoleBinding to a Role', doc: binding('ClusterRoleBinding', { ...toClusterRole, kind: 'Role' }, [sa()]), path: 'roleRef.kind', says: 'a ClusterRoleBinding cannot refer to a Role', fix: 'bind the Role with a RoleBinding' },
  { name: 'a roleRef in another API group', doc: binding('RoleBinding', { ...toClusterRole, apiGroup: 'rbac.authorization.k8s.io/v1' }, [sa()]), path: 'roleRef.apiGroup', says: 'roleRef.apiGroup is "rbac.authorization.k8s.io/v1"', fix: 'use "rbac.authorization.k8s.io"' },
  { name: 'a ClusterRoleBinding\'s ServiceAccount without a namespace', doc: binding('ClusterRoleBinding', toClusterRole, [{ kind: 'ServiceAccount', name: 'web' }]), path: 'subjects[0].namespace', says: 'has no namespace', fix: 'set the namespace' },
  { name: 'a ServiceAccount subject with the RBAC apiGroup', doc: binding('RoleBinding', toClusterRole, [sa({ apiGroup: 'rbac.authorization.k8s.io' })]), path: 'subjects[0].apiGroup', says: 'a ServiceAccount subject\'s apiGroup is "" (the core group)', fix: 'remove apiGroup' },
  { name: 'a ServiceAccount subject named like no ServiceAccount', doc: binding('RoleBinding', toClusterRole, [sa({ name: 'system:serviceaccount:shop:web' })]), path: 'subjects[0].name', says: 'is not a ServiceAccount name', fix: 'the ServiceAccount\'s name' },
  { name: 'an unknown kind of subject', doc: binding('RoleBinding', toClusterRole, [{ kind: 'Pod', name: 'web' }]), path: 'subjects[0].kind', says: '"Pod" is not a kind of subject', fix: 'ServiceAccount, User or Group' },
];

describe('RBAC rules (the API server\'s RBAC validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('valid roles and bindings pass', () => {
    expectAccepted(role('ClusterRole', [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments'], verbs: ['get', 'list'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] }]));
    expectAccepted(binding('RoleBinding', { ...toClusterRole, kind: 'Role' }, [{ kind: 'ServiceAccount', name: 'web' }, { kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }]));
    expectAccepted(binding('ClusterRoleBinding', toClusterRole, [sa()]));
    // an empty apiGroup is defaulted to the RBAC group, for the roleRef and for User and Group subjects
    expectAccepted(binding('RoleBinding', { ...toClusterRole, apiGroup: '' }, [{ kind: 'Group', name: 'devs', apiGroup: '' }]));
  });
});
