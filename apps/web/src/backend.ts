import type { DesignerBackend, FlowLocks } from '@lianxin/designer';
import type { FlowDefinition, LocalizedText } from '@lianxin/spec';

/** The signed-in user, as `auth.me` describes them. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  memberships: {
    jurisdiction: string;
    /** Localised by the server's jurisdiction tree. */
    jurisdictionName: string | LocalizedText | null;
    level: string | null;
    role: string;
    department: string | null;
  }[];
}

export interface FlowListItem {
  id: string;
  jurisdiction: string;
  key: string;
  name: LocalizedText;
  latestVersion: number;
  draftUpdatedAt: string | null;
}

export interface OpenedFlow {
  id: string;
  /** The draft if there is one, else the latest published version. */
  definition: unknown;
  latestVersion: number;
  /** The stored draft's hash (null: none yet), sent back with each save. */
  draftHash?: string | null;
  /** What the template it was adopted from locks, and why (none for a flow of the county's own). */
  locks?: FlowLocks;
}

/** Everything the web app asks of the server. */
export interface AppBackend extends DesignerBackend {
  /** Shown in the header when this is not the real server (tests only). */
  readonly testOnly?: string;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  me(): Promise<Me | null>;
  /** The password rules the server enforces, to show wherever a password is chosen. */
  passwordRules(): Promise<LocalizedText[]>;
  /**
   * Changes the signed-in user's password; the server ends the user's other
   * sessions. Refusals carry `bilingual` ({ 'zh-CN', en }) on the error.
   */
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  listFlows(): Promise<FlowListItem[]>;
  openFlow(flowId: string): Promise<OpenedFlow>;
}

export type { FlowDefinition };
