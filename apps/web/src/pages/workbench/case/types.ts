import type { FlowDefinition, FormDefinition } from '@lianxin/spec';
import type { CaseCommand, CaseView } from '../api';

/** Gives a command on the case; resolves whether the server took it (the page reloads either way). */
export type Act = (command: CaseCommand, ok?: string) => Promise<boolean>;

/** What every card of the case page reads: the case as the server shows it to this reader, and its flow version. */
export interface CaseCardProps {
  view: CaseView;
  /** The flow version the case runs on; undefined while it loads. */
  definition: FlowDefinition | undefined;
}

export type OpenTask = CaseView['state']['tasks'][number];
export type TaskActions = CaseView['actions']['tasks'][number];
export type { FormDefinition };
