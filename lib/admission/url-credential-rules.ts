import { AdmissionRule, Json, Report, childPath } from './rule';
import { hasUrlPassword } from '../core/secret-env-name';

/**
 * No password inside a URL (`https://admin:hunter2@grafana:3000`) anywhere in the documents that
 * hold URLs of other services: ConfigMaps (the addons' configuration texts), RequestAuthentications
 * (jwksUri), EnvoyFilters and WasmPlugins, ServiceEntries, VirtualServices and DestinationRules, and
 * an IstioOperator. Pod templates' env values and arguments are checked by the secret rules.
 */
export const urlCredentialRules: AdmissionRule = {
  kinds: [
    '/ConfigMap', 'security.istio.io/RequestAuthentication', 'networking.istio.io/EnvoyFilter', 'extensions.istio.io/WasmPlugin',
    'networking.istio.io/ServiceEntry', 'networking.istio.io/VirtualService', 'networking.istio.io/DestinationRule',
    'install.istio.io/IstioOperator',
  ],
  check(doc, report) {
    walk(doc, [], report);
  },
};

const FIX = 'keep the credential in a Secret the service reads (a mounted file or an env var from secretKeyRef), not in the URL';

/** Walks every string, keeping the keys from the document root (the path is made only for a problem). */
function walk(value: unknown, keys: (string | number)[], report: Report): void {
  if (typeof value === 'string') {
    // (the cheap test first: most strings hold no "@" at all)
    if (value.includes('@') && hasUrlPassword(value)) {
      report(keys.reduce<string>(childPath, ''), 'the value holds a password inside a URL (user:password@), which would be written '
        + 'into the manifests', FIX);
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      keys.push(i);
      walk(value[i], keys, report);
      keys.pop();
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      keys.push(key);
      walk((value as Json)[key], keys, report);
      keys.pop();
    }
  }
}
