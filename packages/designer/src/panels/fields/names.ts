import type { Channel, JurisdictionLevel, UrgencyColour } from '@lianxin/spec';

/** What each intake channel is called on screen. */
export const CHANNEL_NAMES = {
  visit: { 'zh-CN': '来访', en: 'Visit' },
  letter: { 'zh-CN': '来信', en: 'Letter' },
  online: { 'zh-CN': '网上', en: 'Online' },
  phone: { 'zh-CN': '电话', en: 'Phone' },
  hotline: { 'zh-CN': '12345 热线', en: '12345 hotline' },
  grid: { 'zh-CN': '网格上报', en: 'Grid report' },
} as const satisfies Record<Channel, { 'zh-CN': string; en: string }>;

/** What each jurisdiction level is called on screen. */
export const LEVEL_NAMES = {
  province: { 'zh-CN': '省级', en: 'Province' },
  city: { 'zh-CN': '市级', en: 'City' },
  county: { 'zh-CN': '县级', en: 'County' },
  town: { 'zh-CN': '镇级', en: 'Town' },
  village: { 'zh-CN': '村级', en: 'Village' },
} as const satisfies Record<JurisdictionLevel, { 'zh-CN': string; en: string }>;

/** The four urgency colours: their names and the tag colour. */
export const URGENCY = {
  red: { 'zh-CN': '红', en: 'red', colour: '#f5222d' },
  yellow: { 'zh-CN': '黄', en: 'yellow', colour: '#faad14' },
  blue: { 'zh-CN': '蓝', en: 'blue', colour: '#1677ff' },
  green: { 'zh-CN': '绿', en: 'green', colour: '#52c41a' },
} as const satisfies Record<UrgencyColour, { 'zh-CN': string; en: string; colour: string }>;
