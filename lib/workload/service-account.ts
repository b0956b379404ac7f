import { IConstruct } from 'constructs';
import { checkDnsSubdomain } from '../core/names';

/**
 * A ServiceAccount a {@link MeshService} runs as that exists already (created by another tool, or
 * bound to a cloud identity outside this app): the service names it and does not emit it.
 */
export class ServiceAccountRef {
  /** The existing ServiceAccount `name`, in the service's namespace. */
  public static existing(name: string): ServiceAccountRef {
    return new ServiceAccountRef(name);
  }

  private constructor(private readonly name: string) {}

  /** @internal The account name, checked (`scope` and `field` locate the error). */
  public _name(scope: IConstruct, field: string): string {
    return checkDnsSubdomain(scope, field, this.name);
  }
}
