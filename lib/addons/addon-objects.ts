import { createHash } from 'crypto';
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { jsYaml } from '../core/js-yaml-lazy';
import { k8s, KubernetesL1 } from '../core/kubernetes-l1';
import { containerSecurityContext, podSecurityContext } from '../workload/production-defaults';

/** The Kubernetes L1 classes the addons build (lib/core/kubernetes-l1.ts), loaded on first use. */
export function kube(): KubernetesL1 {
  return k8s;
}

/** The pod label that keeps Istio from injecting a sidecar into an addon, as upstream's addons do. */
export const NO_SIDECAR = { 'sidecar.istio.io/inject': 'false' } as const;

/** A pod template annotation that changes with the configuration, so pods restart when it does (as Helm charts' `checksum/config`). */
export function checksum(...texts: string[]): string {
  const hash = createHash('sha256');
  for (const text of texts) hash.update(text);
  return hash.digest('hex');
}

/** Configuration as YAML text (keys in the order given, no line wrapping). */
export function yamlText(value: unknown): string {
  return jsYaml().dump(value, { lineWidth: -1, noRefs: true });
}

/**
 * The container with the library's production defaults where it sets nothing (no privilege
 * escalation, every capability dropped): addons run beside the apps, with the same hardening.
 */
export function hardened(container: K8s.Container): K8s.Container {
  return { ...container, securityContext: containerSecurityContext(container.securityContext, container.ports ?? []) };
}

/** The pod spec with the RuntimeDefault seccomp profile where it sets none, and its containers {@link hardened}. */
export function hardenedPod(spec: K8s.PodSpec): K8s.PodSpec {
  return {
    ...spec,
    securityContext: podSecurityContext(spec.securityContext),
    containers: spec.containers.map(hardened),
  };
}

/** An HTTP GET probe. */
export function httpProbe(path: string, port: number | string, options: Omit<K8s.Probe, 'httpGet'> & { scheme?: string } = {}): K8s.Probe {
  const { scheme, ...rest } = options;
  const target = typeof port === 'number' ? kube().IntOrString.fromNumber(port) : kube().IntOrString.fromString(port);
  return { httpGet: { path, port: target, ...(scheme && { scheme }) }, ...rest };
}
