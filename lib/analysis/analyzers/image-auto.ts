import { Analyzer } from '../analyzer';
import { Doc, MeshIndex, Workload, labelSelectorMatches, list } from '../mesh-index';
import { namespaceResource } from '../mesh-membership';
import { msg } from '../message-constructors';

/** The image that asks the injector to fill in the proxy container. */
const AUTO_IMAGE = 'auto';

/**
 * IST0147: a Pod with an `istio-proxy` container of `image: auto` (the injector fills it in when a
 * workload creates the pod, not for a Pod applied as such); IST0146: a workload whose pod template
 * has one, but whose pods no Istio injection webhook selects, so the image stays `auto`. The
 * webhooks are the input's MutatingWebhookConfigurations with webhooks named `*istio.io`; when the
 * input has none, Istio's default selection (namespace `istio-injection=enabled` or `istio.io/rev`,
 * pod label `sidecar.istio.io/inject=true`, not `false`) stands in for them.
 */
export const imageAuto: Analyzer = {
  name: 'image-auto',
  codes: ['IST0146', 'IST0147'],
  analyze(index, report) {
    const webhooks = index.mutatingWebhookConfigurations()
      .flatMap(c => list(c.doc.webhooks as Doc[] | undefined))
      .filter(w => typeof w.name === 'string' && w.name.endsWith('istio.io'));
    for (const w of index.allWorkloads()) {
      const at = list(w.podSpec.containers).findIndex(c => c.name === 'istio-proxy' && c.image === AUTO_IMAGE);
      if (at < 0) continue;
      const field = `${w.resource.kind === 'Pod' ? 'spec' : 'spec.template.spec'}.containers[${at}].image`;
      if (w.resource.kind === 'Pod') {
        report(w.resource, msg.imageAutoWithoutInjectionError('Pod', w.resource.name), field);
      } else if (!injected(index, w, webhooks)) {
        report(w.resource, msg.imageAutoWithoutInjectionWarning(w.resource.kind, w.resource.name), field);
      }
    }
  },
};

/** Whether an injection webhook (or, without any, Istio's default selection) selects the workload's pods. */
function injected(index: MeshIndex, w: Workload, webhooks: readonly Doc[]): boolean {
  const nsLabels = namespaceResource(index, w.resource.namespace)?.labels ?? {};
  if (webhooks.length > 0) {
    return webhooks.some(h =>
      labelSelectorMatches(h.namespaceSelector ?? {}, nsLabels) && labelSelectorMatches(h.objectSelector ?? {}, w.labels));
  }
  const pod = w.labels['sidecar.istio.io/inject'];
  if (pod !== undefined) return pod === 'true';
  return nsLabels['istio-injection'] === 'enabled' || (Boolean(nsLabels['istio.io/rev']) && nsLabels['istio-injection'] !== 'disabled');
}
