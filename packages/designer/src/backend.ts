import type { CalendarYear } from '@lianxin/engine';
import type { FlowDefinition, LocalizedText, Problem } from '@lianxin/spec';

export interface SaveOptions {
  /** A flow never saved: refused when its key is taken. */
  create?: boolean;
  /** The draft hash the editor started from (null: there was no draft). */
  baseDraftHash?: string | null;
}

/** A flow's stored draft, with who saved it last and when. */
export interface StoredDraft {
  flowId: string;
  definition: unknown;
  draftHash: string | null;
  savedBy?: string | null;
  savedAt?: string | null;
}

/**
 * What a backend throws when the server refuses: both languages, the
 * stable code (flow.exists, flow.draftConflict, flow.invalid,
 * template.lockedChanged, …) and its details (e.g. located `problems`).
 */
export interface BackendError extends Error {
  bilingual?: LocalizedText;
  code?: string;
  details?: { problems?: Problem[]; draftHash?: string | null } & Record<string, unknown>;
}

/** One published version of a flow. */
export interface FlowVersionInfo {
  version: number;
  publishedAt: string;
  publishedBy?: string | null;
  note?: string | null;
}

/**
 * Where the designer keeps flows. The app implements it against the API
 * (tRPC `flows.*`); tests may inject an in-memory one. The designer never
 * stores anything itself.
 */
export interface DesignerBackend {
  /**
   * Saves the flow as the draft; returns the flow's id, the stored draft's
   * hash and what the server's checker found. `create` refuses a key the
   * jurisdiction already has (error code `flow.exists`); `baseDraftHash`
   * refuses when the stored draft is no longer that one (`flow.draftConflict`,
   * someone else saved). Refusals are {@link BackendError}s.
   */
  saveDraft(
    flow: FlowDefinition,
    options?: SaveOptions,
  ): Promise<{ flowId: string; errors: number; warnings: number; draftHash?: string | null }>;
  /**
   * The stored draft as it is now (after a conflict: what the other admin
   * saved, who and when). Without it a conflict offers no reload.
   */
  openDraft?(flowId: string): Promise<StoredDraft>;
  /**
   * The server's own check of a flow, with its resolver (subflows published
   * here or above, the parts a provincial template locks): the designer's
   * live check shows this, so 检查通过 means the server agrees.
   */
  check?(flow: FlowDefinition): Promise<Problem[]>;
  /** Publishes the saved draft as the next version. */
  publish(flowId: string, note?: string): Promise<{ version: number }>;
  versions(flowId: string): Promise<FlowVersionInfo[]>;
  /** The definition of one published version. */
  getVersion(flowId: string, version: number): Promise<FlowDefinition>;
  /**
   * The published flow a case in `jurisdiction` would run for a subflow node
   * calling `ref` (found there or above, as the server finds it); undefined
   * when none is published. The simulation runs child cases on it; an error
   * carrying `bilingual` ({ 'zh-CN', en }) is shown to the admin as it says.
   */
  publishedByKey(
    jurisdiction: string,
    ref: { key: string; version?: number },
  ): Promise<FlowDefinition | undefined>;
  /**
   * The years a jurisdiction's working-day calendar has over the bundled data
   * (published arrangements, local days off), for 模拟运行 to count deadlines
   * as the server does there. Without it the simulation uses the bundled
   * calendar (provisional past it); an error carrying `bilingual` is shown.
   */
  calendarYears?(jurisdiction: string): Promise<CalendarYear[]>;
}
