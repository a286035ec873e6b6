import { FLOW_FORMAT_VERSION } from './flow';
import type { Bilingual } from './text';

type Upgrader = (old: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upgraders from format version N to N + 1. Version 1 is the first released
 * format, so the list is empty; a future version 2 adds `1: (flow) => …`
 * here and files written today keep loading.
 */
const UPGRADERS: Record<number, Upgrader> = {};

export type UpgradeResult =
  | { ok: true; flow: Record<string, unknown>; from: number; to: number }
  | { ok: false; message: Bilingual };

/** Brings a flow file written by an older Lianxin to the current format. */
export function upgradeFlow(
  raw: unknown,
  upgraders: Record<number, Upgrader> = UPGRADERS,
): UpgradeResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      message: { 'zh-CN': '流程文件必须是一个 JSON 对象', en: 'a flow file must be a JSON object' },
    };
  }
  let flow = raw as Record<string, unknown>;
  const from = flow.formatVersion;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) {
    return {
      ok: false,
      message: {
        'zh-CN': '缺少有效的 formatVersion（正整数）',
        en: 'formatVersion is missing or not a positive integer',
      },
    };
  }
  const target = Math.max(FLOW_FORMAT_VERSION, ...Object.keys(upgraders).map((k) => Number(k) + 1));
  if (from > target) {
    return {
      ok: false,
      message: {
        'zh-CN': `文件的格式版本 ${from} 比本程序支持的 ${target} 新，请升级连心`,
        en: `the file's format version ${from} is newer than ${target}, the newest this program reads; upgrade Lianxin`,
      },
    };
  }
  for (let v = from; v < target; v++) {
    const step = upgraders[v];
    if (!step) {
      return {
        ok: false,
        message: {
          'zh-CN': `没有从格式版本 ${v} 升级的方法`,
          en: `no upgrade from format version ${v}`,
        },
      };
    }
    flow = { ...step(flow), formatVersion: v + 1 };
  }
  return { ok: true, flow, from, to: target };
}
