import { Analyzer } from '../analyzer';
import { ISTIO_ANNOTATIONS } from '../istio-annotations';
import { Doc } from '../mesh-index';
import { msg } from '../message-constructors';
import { annotatedObjects, annotationPath } from './annotated-resources';

/**
 * IST0135: a deprecated Istio annotation (the `sidecar.istio.io/inject` annotation only when the
 * label that replaces it is not set too); IST0136: an annotation of an alpha-phase feature, other
 * than those Istio sets itself and the suppression annotation.
 */
export const annotationMaturity: Analyzer = {
  name: 'annotation-maturity',
  codes: ['IST0135', 'IST0136'],
  analyze(index, report) {
    for (const object of annotatedObjects(index)) {
      const labels: Doc = object.path === 'metadata.annotations'
        ? object.resource.labels
        : (object.resource.spec as Doc).template?.metadata?.labels ?? {};
      for (const name of Object.keys(object.annotations)) {
        const known = ISTIO_ANNOTATIONS.get(name);
        if (known === undefined) continue;
        if (known.deprecated && !(known.replacedByLabel !== undefined && labels[known.replacedByLabel] !== undefined)) {
          report(object.resource, msg.deprecatedAnnotation(name, known.replacedByLabel), annotationPath(object, name));
        }
        if (known.alpha && !known.quiet) report(object.resource, msg.alphaAnnotation(name), annotationPath(object, name));
      }
    }
  },
};
