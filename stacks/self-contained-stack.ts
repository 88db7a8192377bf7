// A stack that reads no value of another stack: every stack but vpc-peering (README, "Stacks, providers
// and state": cross-stack references are only for the VPC ids the mesh reads).
import { ForgettingStack } from '../modules/common/forget';

export class SelfContainedStack extends ForgettingStack {
  /**
   * cdktf resolves every value of every stack once more before synthesizing, only to find references to
   * other stacks and wire them (an output there, remote state here): a third of the synth, for nothing
   * in a stack that has none. A reference added here anyway would reach terraform undeclared, and every
   * offline plan of the suite would fail on it.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
