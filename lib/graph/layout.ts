/**
 * A deterministic layout of a {@link MeshGraph}: one horizontal band per namespace, columns by
 * distance from the gateways (the route and allowed-call edges followed breadth first, so traffic
 * reads left to right), each service with its versions beside it. Columns wrap after a number of
 * rows that grows with the square root of the mesh, so 500 services make a wide grid, not a tower.
 * The same graph always gives the same coordinates.
 */
import { GraphNode, MeshGraph } from './model';

/** A node's box. */
export interface Box {
  /** Left. */
  readonly x: number;
  /** Top. */
  readonly y: number;
  /** Width. */
  readonly width: number;
  /** Height. */
  readonly height: number;
}

/** A namespace's band. */
export interface Band extends Box {
  /** The namespace. */
  readonly namespace: string;
}

/** Where everything goes. */
export interface MeshLayout {
  /** Each node's box, by id. */
  readonly boxes: ReadonlyMap<string, Box>;
  /** Each node's group (a service with its versions; any other node alone), by node id (versions too). */
  readonly groups: ReadonlyMap<string, Box>;
  /** The namespaces' bands, top to bottom. */
  readonly bands: readonly Band[];
  /** The size of the whole picture. */
  readonly width: number;
  /** The size of the whole picture. */
  readonly height: number;
}

/** Sizes, in SVG units (CSS pixels at zoom 1). */
export const SIZES = {
  node: 190,
  line: 15,
  nodeHead: 30,
  version: 110,
  versionHeight: 24,
  versionGap: 6,
  routeGap: 130,
  columnGap: 120,
  rowGap: 22,
  bandHead: 58,
  bandPad: 18,
  bandGap: 24,
  margin: 20,
} as const;

/** How far breadth-first search goes from the gateways before it stops assigning deeper columns. */
const MAX_DEPTH = 8;

/** Lays out a graph. */
export function layoutMesh(graph: MeshGraph): MeshLayout {
  const tops = graph.nodes.filter(n => n.kind !== 'version');
  const children = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) if (n.parent !== undefined) (children.get(n.parent) ?? children.set(n.parent, []).get(n.parent)!).push(n);
  const depth = depths(graph, tops);
  const rows = Math.max(8, Math.ceil(Math.sqrt(tops.length)));
  const groupHeight = (n: GraphNode) => Math.max(nodeHeight(n), stackHeight(children.get(n.id)?.length ?? 0));
  const withVersions = SIZES.node + SIZES.routeGap + SIZES.version + SIZES.columnGap;

  // Per band and depth: the groups, wrapped into sub-columns of at most `rows`.
  const columnsOf = new Map<string, GraphNode[][][]>();
  const maxDepth = Math.max(0, ...tops.map(n => depth.get(n.id)!));
  const subColumns = Array<number>(maxDepth + 1).fill(0);
  // A column whose nodes have no versions (gateways, external hosts) is narrower.
  const columnWidth = Array<number>(maxDepth + 1).fill(SIZES.node + SIZES.columnGap);
  for (const n of tops) if (children.has(n.id)) columnWidth[depth.get(n.id)!] = withVersions;
  for (const ns of graph.namespaces.map(n => n.name)) {
    const inBand = tops.filter(n => n.namespace === ns);
    const perDepth = Array.from({ length: maxDepth + 1 }, (_, d) => chunk(inBand.filter(n => depth.get(n.id) === d), rows));
    perDepth.forEach((cols, d) => { subColumns[d] = Math.max(subColumns[d], cols.length); });
    columnsOf.set(ns, perDepth);
  }
  const columnX: number[] = [];
  let x = SIZES.margin + SIZES.bandPad;
  for (let d = 0; d <= maxDepth; d++) {
    columnX.push(x);
    x += subColumns[d] * columnWidth[d];
  }
  const width = Math.max(x - SIZES.columnGap + SIZES.bandPad + SIZES.margin, 2 * SIZES.margin + withVersions);

  const boxes = new Map<string, Box>();
  const groups = new Map<string, Box>();
  const bands: Band[] = [];
  let y = SIZES.margin;
  for (const [namespace, perDepth] of columnsOf) {
    const top = y + SIZES.bandHead;
    let bottom = top;
    perDepth.forEach((cols, d) => cols.forEach((col, c) => {
      let rowY = top;
      const left = columnX[d] + c * columnWidth[d];
      for (const n of col) {
        const versions = children.get(n.id) ?? [];
        const groupW = versions.length > 0 ? withVersions - SIZES.columnGap : SIZES.node;
        const group = { x: left, y: rowY, width: groupW, height: groupHeight(n) };
        boxes.set(n.id, { x: left, y: rowY, width: SIZES.node, height: nodeHeight(n) });
        groups.set(n.id, group);
        versions.forEach((v, i) => {
          const vy = rowY + i * (SIZES.versionHeight + SIZES.versionGap);
          boxes.set(v.id, { x: left + SIZES.node + SIZES.routeGap, y: vy, width: SIZES.version, height: SIZES.versionHeight });
          groups.set(v.id, group);
        });
        rowY += groupHeight(n) + SIZES.rowGap;
      }
      bottom = Math.max(bottom, rowY - SIZES.rowGap);
    }));
    const height = bottom - y + SIZES.bandPad;
    bands.push({ namespace, x: SIZES.margin, y, width: width - 2 * SIZES.margin, height });
    y += height + SIZES.bandGap;
  }
  return { boxes, groups, bands, width, height: Math.max(y - SIZES.bandGap + SIZES.margin, 2 * SIZES.margin) };
}

/** The height of a node's box: its name, then one line per detail. */
export function nodeHeight(n: GraphNode): number {
  return SIZES.nodeHead + (n.details.length + (n.open ? 1 : 0)) * SIZES.line + 8;
}

function stackHeight(count: number): number {
  return count === 0 ? 0 : count * (SIZES.versionHeight + SIZES.versionGap) - SIZES.versionGap;
}

/**
 * Each top node's column: 0 for gateways, then one more per edge followed from them (routes, and
 * allowed calls) breadth first; nodes not reached go after the gateways (external hosts last).
 */
function depths(graph: MeshGraph, tops: readonly GraphNode[]): Map<string, number> {
  const parentOf = new Map(graph.nodes.filter(n => n.parent !== undefined).map(n => [n.id, n.parent!]));
  const top = (id: string) => parentOf.get(id) ?? id;
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!e.allowed) continue;
    const [from, to] = [top(e.from), top(e.to)];
    if (from !== to) (next.get(from) ?? next.set(from, []).get(from)!).push(to);
  }
  const depth = new Map<string, number>();
  let frontier = tops.filter(n => n.kind === 'gateway').map(n => n.id);
  frontier.forEach(id => depth.set(id, 0));
  for (let d = 1; frontier.length > 0 && d <= MAX_DEPTH; d++) {
    const reached: string[] = [];
    for (const id of frontier) {
      for (const to of next.get(id) ?? []) {
        if (!depth.has(to)) {
          depth.set(to, d);
          reached.push(to);
        }
      }
    }
    frontier = reached;
  }
  const first = tops.some(n => n.kind === 'gateway') ? 1 : 0;
  const last = Math.max(first, ...depth.values()) + 1;
  for (const n of tops) if (!depth.has(n.id)) depth.set(n.id, n.kind === 'external' ? last : first);
  // Close the gaps (a column no node is in), keeping the order.
  const used = [...new Set(depth.values())].sort((a, b) => a - b);
  return new Map([...depth].map(([id, d]) => [id, used.indexOf(d)]));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
