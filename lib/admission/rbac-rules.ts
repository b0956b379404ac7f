import { AdmissionRule, Json, Report, childPath, listAt, objectAt, objectsIn } from './rule';
import { isDnsSubdomain } from '../core/dns';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * What the API server refuses in RBAC objects beyond the schemas:
 *
 * - Role and ClusterRole rules: no verbs; a resource rule without apiGroups or resources (`""`
 *   is the core group, and must be listed); non-resource URLs beside resources, or in a Role;
 * - RoleBinding and ClusterRoleBinding: a roleRef of another API group, a ClusterRoleBinding to a
 *   Role; subjects of an unknown kind or API group, a ServiceAccount subject named like no
 *   ServiceAccount can be or, in a ClusterRoleBinding, without its namespace.
 */
export const rbacRules: AdmissionRule = {
  kinds: [`${RBAC_GROUP}/Role`, `${RBAC_GROUP}/ClusterRole`, `${RBAC_GROUP}/RoleBinding`, `${RBAC_GROUP}/ClusterRoleBinding`],
  check(doc, report) {
    switch (doc.kind) {
      case 'Role':
      case 'ClusterRole':
        for (const [rule, path] of objectsIn(doc.rules, 'rules')) checkPolicyRule(rule, path, doc.kind === 'Role', report);
        return;
      default:
        checkBinding(doc, doc.kind === 'RoleBinding', report);
    }
  },
};

function checkPolicyRule(rule: Json, path: string, namespaced: boolean, report: Report): void {
  const count = (key: string) => listAt(rule[key]).length;
  if (count('verbs') === 0) {
    report(childPath(path, 'verbs'), 'the rule has no verbs, so it grants nothing',
      'list the verbs it allows, such as ["get", "list", "watch"]');
  }
  if (count('nonResourceURLs') > 0) {
    if (namespaced) {
      report(childPath(path, 'nonResourceURLs'), 'a Role\'s rules cannot grant non-resource URLs (they are not in a namespace)',
        'grant them in a ClusterRole');
    } else if (count('apiGroups') > 0 || count('resources') > 0 || count('resourceNames') > 0) {
      report(childPath(path, 'nonResourceURLs'), 'the rule grants resources and non-resource URLs together',
        'give the non-resource URLs a rule of their own');
    }
    return;
  }
  if (count('apiGroups') === 0) {
    report(childPath(path, 'apiGroups'), 'the resource rule lists no apiGroups, so it matches no resource',
      'list the API groups: "" for the core group (pods, services, configmaps), "apps" for deployments, ...');
  }
  if (count('resources') === 0) {
    report(childPath(path, 'resources'), 'the resource rule lists no resources', 'list the resources it grants, such as ["pods"]');
  }
}

function checkBinding(doc: Json, namespaced: boolean, report: Report): void {
  const roleRef = objectAt(doc.roleRef);
  if (roleRef !== undefined) {
    // an empty apiGroup is defaulted to the RBAC group
    if (typeof roleRef.apiGroup === 'string' && roleRef.apiGroup !== '' && roleRef.apiGroup !== RBAC_GROUP) {
      report('roleRef.apiGroup', `roleRef.apiGroup is "${roleRef.apiGroup}"`, `use "${RBAC_GROUP}"`);
    }
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (typeof roleRef.kind === 'string' && !kinds.includes(roleRef.kind)) {
      report('roleRef.kind', `a ${doc.kind} cannot refer to a ${roleRef.kind}`,
        namespaced ? 'refer to a Role or a ClusterRole' : 'refer to a ClusterRole, or bind the Role with a RoleBinding in its namespace');
    }
  }
  for (const [subject, path] of objectsIn(doc.subjects, 'subjects')) checkSubject(subject, path, namespaced, report);
}

function checkSubject(subject: Json, path: string, namespaced: boolean, report: Report): void {
  const { kind, apiGroup, name } = subject;
  if (kind === 'ServiceAccount') {
    if (apiGroup !== undefined && apiGroup !== '') {
      report(childPath(path, 'apiGroup'), `a ServiceAccount subject's apiGroup is "" (the core group), not "${String(apiGroup)}"`,
        'remove apiGroup');
    }
    if (typeof name === 'string' && !isDnsSubdomain(name)) {
      report(childPath(path, 'name'), `"${name}" is not a ServiceAccount name`,
        'use the ServiceAccount\'s name: lower-case letters, digits, "-" and "."');
    }
    if (!namespaced && subject.namespace === undefined) {
      report(childPath(path, 'namespace'), 'a ClusterRoleBinding\'s ServiceAccount subject has no namespace',
        'set the namespace the ServiceAccount is in');
    }
  } else if (kind === 'User' || kind === 'Group') {
    if (apiGroup !== undefined && apiGroup !== '' && apiGroup !== RBAC_GROUP) { // "" is defaulted to the RBAC group
      report(childPath(path, 'apiGroup'), `a ${kind} subject's apiGroup is "${RBAC_GROUP}", not "${String(apiGroup)}"`,
        `use "${RBAC_GROUP}" or remove it`);
    }
  } else if (typeof kind === 'string') {
    report(childPath(path, 'kind'), `"${kind}" is not a kind of subject`, 'use ServiceAccount, User or Group');
  }
}
