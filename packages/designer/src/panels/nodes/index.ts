import type { NodePanels } from '../types';
import { actionPanel } from './action';
import { decisionPanel } from './decision';
import { endPanel } from './end';
import { joinPanel } from './join';
import { multiTaskPanel } from './multiTask';
import { parallelPanel } from './parallel';
import { startPanel } from './start';
import { subflowPanel } from './subflow';
import { taskPanel } from './task';
import { timerPanel } from './timer';

/** The property panel of each node kind (form-js's properties-panel groups). */
export const NODE_PANELS = {
  start: startPanel,
  task: taskPanel,
  multiTask: multiTaskPanel,
  decision: decisionPanel,
  parallel: parallelPanel,
  join: joinPanel,
  timer: timerPanel,
  action: actionPanel,
  subflow: subflowPanel,
  end: endPanel,
} satisfies NodePanels;
