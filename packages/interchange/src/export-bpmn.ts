import type { FlowDefinitionInput } from '@lianxin/spec';
import { createModdle, LIANXIN_NS, type ModdleElement, VENDOR_NS } from './moddle';

type NodeInput = FlowDefinitionInput['nodes'][number];
type EdgeInput = FlowDefinitionInput['edges'][number];
type Point = { x: number; y: number };

/** BPMN element type and shape size of each node kind. */
const SHAPES = {
  start: { type: 'bpmn:StartEvent', w: 36, h: 36 },
  task: { type: 'bpmn:UserTask', w: 100, h: 80 },
  multiTask: { type: 'bpmn:UserTask', w: 100, h: 80 },
  decision: { type: 'bpmn:ExclusiveGateway', w: 50, h: 50 },
  parallel: { type: 'bpmn:ParallelGateway', w: 50, h: 50 },
  join: { type: 'bpmn:ParallelGateway', w: 50, h: 50 },
  timer: { type: 'bpmn:IntermediateCatchEvent', w: 36, h: 36 },
  action: { type: 'bpmn:ServiceTask', w: 100, h: 80 },
  subflow: { type: 'bpmn:CallActivity', w: 100, h: 80 },
  end: { type: 'bpmn:EndEvent', w: 36, h: 36 },
} as const satisfies Record<NodeInput['kind'], { type: string; w: number; h: number }>;

const COLUMN = 180;
const ROW = 130;

/**
 * Positions for nodes the flow has not placed: columns by distance from the
 * start (breadth first), rows in node order. Placed nodes keep their place.
 */
export function layoutFlow(flow: Pick<FlowDefinitionInput, 'nodes' | 'edges'>): Map<string, Point> {
  const out = new Map<string, Point>();
  const depth = new Map<string, number>();
  const queue = flow.nodes.filter((n) => n.kind === 'start').map((n) => n.id);
  for (const id of queue) depth.set(id, 0);
  while (queue.length) {
    const id = queue.shift() as string;
    for (const e of flow.edges) {
      if (e.from !== id || depth.has(e.to)) continue;
      depth.set(e.to, (depth.get(id) ?? 0) + 1);
      queue.push(e.to);
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  const rows = new Map<number, number>();
  for (const n of flow.nodes) {
    if (n.position) {
      out.set(n.id, n.position);
      continue;
    }
    const column = depth.get(n.id) ?? maxDepth + 1;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    out.set(n.id, { x: 100 + column * COLUMN, y: 100 + row * ROW });
  }
  return out;
}

/** Unique XML ids: Lianxin node and edge ids live apart, BPMN ids share one space. */
class XmlIds {
  private readonly used = new Set<string>();
  take(wanted: string): string {
    let id = wanted;
    for (let i = 2; this.used.has(id); i++) id = `${wanted}_${i}`;
    this.used.add(id);
    return id;
  }
}

/**
 * Writes a Lianxin flow as BPMN 2.0 XML with a diagram (BPMN DI), readable by
 * Camunda Modeler and bpmn.io: tasks as user tasks (camunda:candidateGroups =
 * role, camunda:formKey = form), decisions as exclusive gateways with JSON
 * Logic conditions, deadline edges as interrupting timer boundary events.
 * Everything Lianxin-only goes in `lianxin:` extension elements, so that
 * `importBpmn(exportBpmn(flow))` gives the same flow back.
 */
export async function exportBpmn(flow: FlowDefinitionInput): Promise<string> {
  const moddle = createModdle();
  const ids = new XmlIds();
  const { nodes, edges, ...rest } = flow;
  const positions = layoutFlow(flow);
  const data = (type: 'Flow' | 'Node' | 'Edge', value: unknown) =>
    moddle.create('bpmn:ExtensionElements', {
      values: [moddle.create(`lianxin:${type}`, { body: JSON.stringify(value) })],
    });
  const expression = (body: string, language?: string) =>
    moddle.create('bpmn:FormalExpression', { body, ...(language ? { language } : {}) });

  const process = moddle.create('bpmn:Process', {
    id: ids.take(flow.key),
    name: flow.name['zh-CN'],
    isExecutable: true,
    extensionElements: data('Flow', rest),
  });
  const elements: ModdleElement[] = [];
  const shapes: ModdleElement[] = [];
  const byNode = new Map<string, ModdleElement>();
  const bounds = new Map<ModdleElement, { x: number; y: number; w: number; h: number }>();

  for (const node of nodes) {
    const { position: _position, ...json } = node;
    const shape = SHAPES[node.kind];
    const el = moddle.create(shape.type, {
      id: ids.take(node.id),
      name: node.name['zh-CN'],
      extensionElements: data('Node', json),
    });
    if (node.kind === 'task' || node.kind === 'multiTask') {
      el.$attrs['camunda:candidateGroups'] = node.assignee.role;
      if (node.form) el.$attrs['camunda:formKey'] = node.form;
      if (node.kind === 'multiTask') {
        const loop = moddle.create('bpmn:MultiInstanceLoopCharacteristics', {});
        loop.$attrs['camunda:collection'] = `\${${node.over}}`;
        loop.$attrs['camunda:elementVariable'] = node.itemVar ?? 'item';
        el.loopCharacteristics = loop;
      }
    }
    if (node.kind === 'timer')
      el.eventDefinitions = [
        moddle.create('bpmn:TimerEventDefinition', {
          timeDuration: expression(node.wait.duration),
        }),
      ];
    if (node.kind === 'subflow') el.calledElement = node.flow.key;
    if (node.kind === 'join') el.gatewayDirection = 'Converging';
    if (node.kind === 'parallel' || node.kind === 'decision') el.gatewayDirection = 'Diverging';
    elements.push(el);
    byNode.set(node.id, el);
    const at = positions.get(node.id) as Point;
    bounds.set(el, { x: at.x, y: at.y, w: shape.w, h: shape.h });
  }

  const boundaries = new Map<string, ModdleElement>();
  const flows: ModdleElement[] = [];
  for (const edge of edges) {
    let source = byNode.get(edge.from);
    const target = byNode.get(edge.to);
    if (!source || !target) continue;
    if (edge.kind === 'deadline') source = boundaryFor(edge, source);
    const sf = moddle.create('bpmn:SequenceFlow', {
      id: ids.take(edge.id),
      sourceRef: source,
      targetRef: target,
      ...(edge.label ? { name: edge.label['zh-CN'] } : {}),
      extensionElements: data('Edge', edge),
    });
    if (edge.kind === 'condition' && edge.condition)
      sf.conditionExpression = expression(JSON.stringify(edge.condition), 'https://jsonlogic.com');
    if (edge.kind === 'default') source.default = sf;
    flows.push(sf);
  }

  function boundaryFor(edge: EdgeInput, task: ModdleElement): ModdleElement {
    const key = `${edge.from}:${edge.kind === 'deadline' ? edge.on : ''}`;
    const known = boundaries.get(key);
    if (known) return known;
    const node = nodes.find((n) => n.id === edge.from);
    const duration =
      node && (node.kind === 'task' || node.kind === 'multiTask')
        ? node.deadline?.duration
        : undefined;
    const boundary = moddle.create('bpmn:BoundaryEvent', {
      id: ids.take(`${edge.from}-${edge.kind === 'deadline' ? edge.on : 'deadline'}`),
      name: edge.kind === 'deadline' && edge.on === 'warning' ? '临期' : '超期',
      attachedToRef: task,
      cancelActivity: true,
      eventDefinitions: [
        moddle.create(
          'bpmn:TimerEventDefinition',
          duration ? { timeDuration: expression(duration) } : {},
        ),
      ],
      extensionElements: data('Node', { boundary: true }),
    });
    boundaries.set(key, boundary);
    elements.push(boundary);
    const host = bounds.get(task) as { x: number; y: number; w: number; h: number };
    const index = boundaries.size;
    bounds.set(boundary, {
      x: host.x + host.w - 18 - (index % 2) * 40,
      y: host.y + host.h - 18,
      w: 36,
      h: 36,
    });
    return boundary;
  }

  process.flowElements = [...elements, ...flows];

  for (const el of elements) {
    const b = bounds.get(el) as { x: number; y: number; w: number; h: number };
    shapes.push(
      moddle.create('bpmndi:BPMNShape', {
        id: ids.take(`${el.id}_di`),
        bpmnElement: el,
        bounds: moddle.create('dc:Bounds', { x: b.x, y: b.y, width: b.w, height: b.h }),
      }),
    );
  }
  const centre = (el: ModdleElement) => {
    const b = bounds.get(el) as { x: number; y: number; w: number; h: number };
    return moddle.create('dc:Point', { x: b.x + b.w / 2, y: b.y + b.h / 2 });
  };
  for (const sf of flows) {
    shapes.push(
      moddle.create('bpmndi:BPMNEdge', {
        id: ids.take(`${sf.id}_di`),
        bpmnElement: sf,
        waypoint: [centre(sf.sourceRef), centre(sf.targetRef)],
      }),
    );
  }
  const diagram = moddle.create('bpmndi:BPMNDiagram', {
    id: ids.take('diagram'),
    plane: moddle.create('bpmndi:BPMNPlane', {
      id: ids.take('plane'),
      bpmnElement: process,
      planeElement: shapes,
    }),
  });
  const definitions = moddle.create('bpmn:Definitions', {
    id: ids.take('definitions'),
    targetNamespace: LIANXIN_NS,
    exporter: 'Lianxin',
    exporterVersion: '1',
    rootElements: [process],
    diagrams: [diagram],
  });
  definitions.$attrs['xmlns:camunda'] = VENDOR_NS.camunda;
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}
