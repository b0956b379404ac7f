import type * as JsYaml from 'js-yaml';

let loaded: typeof JsYaml | undefined;

/**
 * js-yaml, loaded on first use: it costs ~18 ms to load, which `require('cdk8s-istio')` should not
 * pay before anything is written or read.
 */
export function jsYaml(): typeof JsYaml {
  loaded ??= require('js-yaml') as typeof JsYaml;
  return loaded;
}
