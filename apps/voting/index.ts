import { App } from 'cdk8s';
import { AppBuild } from '../app-build';
import { VotingChart, VotingProps } from './voting-chart';

export * from './voting-chart';

/** The voting app as an App: one file, `voting.yaml`. */
export function votingApp(props: VotingProps = {}): AppBuild {
  const app = new App();
  new VotingChart(app, 'voting', props);
  return { app, fileOf: () => 'voting.yaml' };
}
