/**
 * The CEL library and the environment the CRD rules run in: standard CEL, the strings extension
 * and the Kubernetes functions the Istio rules need (kubernetes-cel-library.ts). Loaded on the first
 * rule (cel-rules.ts); scripts/build.js also bundles it with @bufbuild/cel and the packages that
 * uses (@bufbuild/protobuf, @bufbuild/re2, @bufbuild/cel-spec) into build/cel.js, one file to load
 * instead of about 130.
 */
import * as lib from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { KUBERNETES_CEL_FUNCTIONS } from './kubernetes-cel-library';

/** @bufbuild/cel itself: `parse`, `plan`, `isCelError`. */
export const cel = lib;

/** The environment every rule is planned in. */
export const env = lib.celEnv({ funcs: [...strings, ...KUBERNETES_CEL_FUNCTIONS] });
