import type { Handler } from '../run';
import type { CommandType } from '../types';
import { calendarHandlers } from './calendar';
import { caseHandlers } from './case';
import { clockHandlers } from './clock';
import { supervisionHandlers } from './supervision';
import { taskHandlers } from './task';
import { waitHandlers } from './timer-child';

/** Every command's handler; a new command type does not compile until it has one. */
export const handlers = {
  ...caseHandlers,
  ...taskHandlers,
  ...clockHandlers,
  ...waitHandlers,
  ...calendarHandlers,
  ...supervisionHandlers,
} satisfies { [T in CommandType]: Handler<T> };
