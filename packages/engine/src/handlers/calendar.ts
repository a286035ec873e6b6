import { recomputeDeadlines } from '../recompute';
import type { Handlers } from '../run';

export const calendarHandlers = {
  'calendar.recompute'(run) {
    recomputeDeadlines(run);
  },
} satisfies Handlers<'calendar.recompute'>;
