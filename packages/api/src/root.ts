import { adminRouter } from './routers/admin';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { calendarsRouter } from './routers/calendars';
import { casesRouter } from './routers/cases';
import { departmentsRouter } from './routers/departments';
import { documentsRouter } from './routers/documents';
import { flowsRouter } from './routers/flows';
import { intakeRouter } from './routers/intake';
import { jurisdictionsRouter } from './routers/jurisdictions';
import { notificationsRouter } from './routers/notifications';
import { statsRouter } from './routers/stats';
import { supervisionRouter } from './routers/supervision';
import { tasksRouter } from './routers/tasks';
import { templatesRouter } from './routers/templates';
import { usersRouter } from './routers/users';
import { createCallerFactory, publicProcedure, router } from './trpc';

export const appRouter = router({
  /** For load balancers and the benchmark's empty-procedure ceiling. */
  health: publicProcedure.query(() => ({ ok: true })),
  auth: authRouter,
  jurisdictions: jurisdictionsRouter,
  flows: flowsRouter,
  templates: templatesRouter,
  cases: casesRouter,
  tasks: tasksRouter,
  notifications: notificationsRouter,
  intake: intakeRouter,
  stats: statsRouter,
  supervision: supervisionRouter,
  admin: adminRouter,
  departments: departmentsRouter,
  users: usersRouter,
  audit: auditRouter,
  calendars: calendarsRouter,
  documents: documentsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
