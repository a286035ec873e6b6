import type { NodePanelSpec } from '../types';
import { humanStepGroups, taskForm } from './human';

export const taskPanel: NodePanelSpec<'task'> = {
  groups: [{ id: 'form', entries: [taskForm] }, ...humanStepGroups],
};
