import type { CalendarYear } from '@lianxin/engine';
import type { FlowDefinition } from '@lianxin/spec';

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
  /** Saves the flow as the draft; returns the flow's id and what the server's checker found. */
  saveDraft(flow: FlowDefinition): Promise<{ flowId: string; errors: number; warnings: number }>;
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
