import type { SchemaNode } from './openapi-to-json-schema';

/**
 * The structure of `install.istio.io/v1alpha1` IstioOperator, which `istioctl install -f` reads and
 * for which Istio ships no CRD: the fields of istio/api's `operator/v1alpha1` IstioOperatorSpec,
 * its component set and gateway components, unknown fields refused there. What istioctl passes on
 * unchanged — `meshConfig` (Istio's MeshConfig), `values` and `unvalidatedValues` (the charts'
 * values), a component's `k8s` settings — is taken as any object. Written here, not generated,
 * since there is no CRD to generate it from (see the README, "Installing Istio").
 */
const OPEN_OBJECT: SchemaNode = { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
const TAG: SchemaNode = { 'x-kubernetes-int-or-string': true };
const STRING_MAP: SchemaNode = { type: 'object', additionalProperties: { type: 'string' } };

const COMPONENT: SchemaNode = {
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    namespace: { type: 'string' },
    hub: { type: 'string' },
    tag: TAG,
    spec: OPEN_OBJECT,
    k8s: OPEN_OBJECT,
  },
};

const GATEWAY_COMPONENT: SchemaNode = {
  type: 'object',
  required: ['name'],
  properties: { ...(COMPONENT.properties as object), name: { type: 'string', minLength: 1 }, label: STRING_MAP },
};

/** The IstioOperator schema, as a CRD's `openAPIV3Schema`. */
export const ISTIO_OPERATOR_SCHEMA: SchemaNode = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        profile: { type: 'string', enum: ['default', 'demo', 'minimal', 'remote', 'empty', 'preview', 'ambient', 'stable'] },
        installPackagePath: { type: 'string' },
        hub: { type: 'string' },
        tag: TAG,
        namespace: { type: 'string' },
        revision: { type: 'string' },
        compatibilityVersion: { type: 'string' },
        defaultRevision: { type: 'boolean' },
        meshConfig: OPEN_OBJECT,
        components: {
          type: 'object',
          properties: {
            base: COMPONENT,
            pilot: COMPONENT,
            cni: COMPONENT,
            ztunnel: COMPONENT,
            istiodRemote: COMPONENT,
            ingressGateways: { type: 'array', items: GATEWAY_COMPONENT },
            egressGateways: { type: 'array', items: GATEWAY_COMPONENT },
          },
        },
        values: OPEN_OBJECT,
        unvalidatedValues: OPEN_OBJECT,
      },
    },
    status: OPEN_OBJECT,
  },
};

/** The `group/version/kind` the schema is for. */
export const ISTIO_OPERATOR_KIND = 'install.istio.io/v1alpha1/IstioOperator';
