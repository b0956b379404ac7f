import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/**
 * IST0157: a Telemetry access-logging entry that names no provider (and does not disable logging)
 * is ignored, as the mesh config names no default access-log provider (the mesh config is not
 * read: its default has none).
 */
export const telemetryProviders: Analyzer = {
  name: 'telemetry-providers',
  codes: ['IST0157'],
  analyze(index, report) {
    for (const t of index.telemetries()) {
      list(t.spec.accessLogging).forEach((entry, i) => {
        if (entry.disabled === true || list(entry.providers).length > 0) return;
        report(t, msg.invalidTelemetryProvider(t.name, t.namespace), `spec.accessLogging[${i}].providers`);
      });
    }
  },
};
