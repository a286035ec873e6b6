import { createContext, useContext } from 'react';

/** One of the jurisdiction's departments, as the 承办部门 editor offers it. */
export interface DepartmentChoice {
  /** The code flows store (`assignee.department`). */
  code: string;
  /** Its name in the admin's language. */
  name: string;
}

const DepartmentChoices = createContext<readonly DepartmentChoice[] | undefined>(undefined);

/**
 * Gives the designer the flow's jurisdiction's active departments: 承办部门 is
 * then picked from them by name (the server's checker refuses any other).
 * Without it the editor takes a typed code as before.
 */
export const DepartmentChoicesProvider = DepartmentChoices.Provider;
export const useDepartmentChoices = () => useContext(DepartmentChoices);
