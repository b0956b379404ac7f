import { Analyzer } from '../analyzer';
import { ISTIO_ANNOTATIONS, isIstioAnnotation } from '../istio-annotations';
import { msg } from '../message-constructors';
import { annotatedObjects, annotationPath } from './annotated-resources';

/**
 * IST0108: an annotation in an Istio domain that Istio does not define (a typo Istio silently
 * ignores); IST0107: an Istio annotation on a kind it does not apply to (e.g. a pod annotation on
 * a Deployment's own metadata rather than its pod template).
 */
export const annotationPlacement: Analyzer = {
  name: 'annotation-placement',
  codes: ['IST0107', 'IST0108'],
  analyze(index, report) {
    for (const object of annotatedObjects(index)) {
      for (const name of Object.keys(object.annotations)) {
        if (!isIstioAnnotation(name)) continue;
        const known = ISTIO_ANNOTATIONS.get(name);
        if (known === undefined) {
          report(object.resource, msg.unknownAnnotation(name), annotationPath(object, name));
        } else if (!known.resources.includes('Any') && !known.resources.includes(object.kind)) {
          report(object.resource, msg.misplacedAnnotation(name, known.resources), annotationPath(object, name));
        }
      }
    }
  },
};
