/// <reference path="./bpmn-moddle.d.ts" />
import BpmnModdle, { type ModdleElement } from 'bpmn-moddle';

/** The namespace of Lianxin's own BPMN extension elements. */
export const LIANXIN_NS = 'https://lianxin.example/schema/bpmn';

/**
 * Lianxin's moddle descriptor: `<lianxin:flow>` on the process holds the
 * flow's own fields (roles, data schema, forms, clocks, …) and
 * `<lianxin:node>` / `<lianxin:edge>` hold a node's or an edge's Lianxin
 * definition, each as JSON text, so that an exported flow imports back equal.
 */
export const lianxinDescriptor = {
  name: 'Lianxin',
  uri: LIANXIN_NS,
  prefix: 'lianxin',
  xml: { tagAlias: 'lowerCase' },
  types: ['Flow', 'Node', 'Edge'].map((name) => ({
    name,
    superClass: ['Element'],
    properties: [{ name: 'body', type: 'String', isBody: true }],
  })),
};

/** The engines whose extension attributes the importer reads. */
export const VENDOR_NS = {
  camunda: 'http://camunda.org/schema/1.0/bpmn',
  zeebe: 'http://camunda.org/schema/zeebe/1.0',
  flowable: 'http://flowable.org/bpmn',
  activiti: 'http://activiti.org/bpmn',
} as const;
export type Vendor = keyof typeof VENDOR_NS;

export function createModdle(): BpmnModdle {
  return new BpmnModdle({ lianxin: lianxinDescriptor });
}

export type { ModdleElement };

/**
 * The prefixes a document uses for each vendor namespace (a file may write
 * `xmlns:activiti` or any other prefix for the same URI).
 */
export function vendorPrefixes(definitions: ModdleElement): Map<Vendor, string[]> {
  const out = new Map<Vendor, string[]>();
  for (const [attr, uri] of Object.entries(definitions.$attrs ?? {})) {
    if (!attr.startsWith('xmlns:')) continue;
    for (const [vendor, ns] of Object.entries(VENDOR_NS) as [Vendor, string][]) {
      if (uri === ns) out.set(vendor, [...(out.get(vendor) ?? []), attr.slice(6)]);
    }
  }
  return out;
}

/** Reads extension attributes and elements of any vendor namespace a document declares. */
export class VendorReader {
  constructor(private readonly prefixes: Map<Vendor, string[]>) {}

  /** The first vendor attribute `local` found on the element (camunda:assignee, flowable:assignee, …). */
  attr(el: ModdleElement, local: string): string | undefined {
    for (const list of this.prefixes.values()) {
      for (const p of list) {
        const v = el.$attrs?.[`${p}:${local}`];
        if (typeof v === 'string' && v.trim() !== '') return v.trim();
      }
    }
    return undefined;
  }

  /** Extension elements of a vendor (`zeebe:assignmentDefinition`, …) by local name. */
  elements(el: ModdleElement, vendor: Vendor, local: string): ModdleElement[] {
    const names = new Set((this.prefixes.get(vendor) ?? []).map((p) => `${p}:${local}`));
    return extensionValues(el).filter((v) => names.has(v.$type));
  }
}

export function extensionValues(el: ModdleElement): ModdleElement[] {
  const values = el.extensionElements?.values;
  return Array.isArray(values) ? values : [];
}

/** The JSON held by a `<lianxin:…>` extension element, or undefined. */
export function lianxinData(el: ModdleElement, type: 'Flow' | 'Node' | 'Edge'): unknown {
  const found = extensionValues(el).find((v) => v.$type === `lianxin:${type}`);
  if (!found || typeof found.body !== 'string') return undefined;
  try {
    return JSON.parse(found.body);
  } catch {
    return undefined;
  }
}
