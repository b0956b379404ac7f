/**
 * A {@link MeshGraph} as one self-contained HTML page: inline SVG, inline CSS and a small inline
 * script (pan, zoom, find, focus on a node's edges, hide denied calls). A Content-Security-Policy
 * forbids every network request, so the file opens the same offline, from disk or as a CI artifact.
 */
import { Box, MeshLayout, SIZES, layoutMesh } from './layout';
import { GraphEdge, GraphNode, MeshGraph } from './model';
import { AnalysisMessage, MessageLevel } from '../analysis/messages';

/** The longest line of an edge label drawn, and the most lines; the full text is in the edge's tooltip. */
const MAX_LABEL = 28;
const MAX_LABEL_LINES = 4;
/** The distance between the lines of an edge label. */
const LABEL_LINE = 13;

/** Options of {@link renderMeshHtml}. */
export interface RenderOptions {
  /** The page title. @default 'Mesh' */
  readonly title?: string;
}

/** The HTML page of a mesh graph (deterministic: the same graph gives the same bytes). */
export function renderMeshHtml(graph: MeshGraph, options: RenderOptions = {}): string {
  const layout = layoutMesh(graph);
  const title = options.title ?? 'Mesh';
  const count = (kind: GraphNode['kind']) => graph.nodes.filter(n => n.kind === kind).length;
  const findings = [...graph.findings, ...graph.namespaces.flatMap(n => n.findings), ...graph.nodes.flatMap(n => n.findings)];
  const denied = graph.edges.filter(e => !e.allowed).length;
  const summary = `${graph.namespaces.length} namespace(s), ${count('service')} service(s), ${count('version')} version(s), `
    + `${count('gateway')} gateway(s), ${graph.edges.filter(e => e.kind === 'route').length} route edge(s), `
    + `${graph.edges.filter(e => e.kind === 'access' && e.allowed).length} allowed and ${denied} denied call(s)`
    + `${graph.omittedDenied > 0 ? ` (${graph.omittedDenied} more denied calls not drawn)` : ''}, ${findings.length} finding(s)`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p id="summary">${esc(summary)}</p>
<div class="tools">
<input id="find" type="search" placeholder="Find a service, version or gateway" aria-label="Find">
<label><input id="show-denied" type="checkbox"${denied <= 200 ? ' checked' : ''}> denied calls</label>
<button id="fit" type="button">Fit</button><button id="actual" type="button">100%</button>
<span class="legend"><i class="l-route"></i>route <i class="l-allowed"></i>allowed call <i class="l-denied"></i>denied call
<i class="l-missing"></i>no pods / unknown host</span>
</div>
</header>
<main id="canvas">
${svg(graph, layout, denied > 200)}
</main>
${findingsSection(graph)}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function svg(graph: MeshGraph, layout: MeshLayout, hideDenied: boolean): string {
  const out: string[] = [];
  out.push(`<svg id="mesh" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" `
    + `viewBox="0 0 ${layout.width} ${layout.height}"${hideDenied ? ' class="hide-denied"' : ''}>`);
  out.push('<defs>', ...['route', 'allowed', 'denied'].map(k =>
    `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">`
    + `<path d="M0,0L10,5L0,10z" class="arrow-${k}"/></marker>`), '</defs>');
  out.push('<g id="viewport">');
  const namespaces = new Map(graph.namespaces.map(n => [n.name, n]));
  for (const band of layout.bands) {
    const ns = namespaces.get(band.namespace)!;
    out.push(`<g class="namespace" data-id="ns:${esc(band.namespace)}">`
      + `<rect x="${band.x}" y="${band.y}" width="${band.width}" height="${band.height}" rx="10"/>`
      + `<text class="ns-label" x="${band.x + 14}" y="${band.y + 22}">${esc(band.namespace)}`
      + `<tspan class="mtls mtls-${esc(ns.mtls.split(' ')[0].toLowerCase())}" dx="12">mTLS ${esc(ns.mtls)}</tspan></text>`
      + `${badge(ns.findings, band.x + band.width - 16, band.y + 16)}</g>`);
  }
  const parents = new Map(graph.nodes.map(n => [n.id, n.parent]));
  out.push('<g id="edges">');
  for (const edge of graph.edges) out.push(edgeSvg(edge, layout, parents.get(edge.to) === edge.from));
  out.push('</g><g id="nodes">');
  for (const node of graph.nodes) out.push(nodeSvg(node, layout.boxes.get(node.id)!));
  out.push('</g></g></svg>');
  return out.join('\n');
}

function nodeSvg(n: GraphNode, box: Box): string {
  const classes = ['node', n.kind, n.missing && 'missing', n.open && 'open'].filter(Boolean).join(' ');
  const missing = n.kind === 'version' ? 'no pod carries its labels' : 'no Service or ServiceEntry defines it';
  const tooltip = [`${n.kind} ${n.id.slice(n.id.indexOf(':') + 1)}`, ...n.details, ...(n.open ? ['every caller is allowed'] : []),
    ...(n.missing ? [missing] : []),
    ...n.findings.map(findingText)].join('\n');
  const lines = [...n.details, ...(n.open ? ['any caller allowed'] : [])];
  const label = n.label;
  const textY = n.kind === 'version' ? box.y + 16 : box.y + 20;
  return `<g class="${classes}" data-id="${esc(n.id)}" data-label="${esc(n.label)}" tabindex="0"><title>${esc(tooltip)}</title>`
    + `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="${n.kind === 'version' ? 12 : 6}"/>`
    + `<text class="name" x="${box.x + 10}" y="${textY}">${esc(truncate(kindPrefix(n) + label, n.kind === 'version' ? 16 : 24))}</text>`
    + lines.map((l, i) => `<text class="detail" x="${box.x + 10}" y="${detailY(box, i)}">${esc(truncate(l, 30))}</text>`).join('')
    + `${badge(n.findings, box.x + box.width - 2, box.y + 2)}</g>`;
}

/** The baseline of a node's `i`th detail line. */
function detailY(box: Box, i: number): number {
  return box.y + SIZES.nodeHead + 8 + i * SIZES.line;
}

function kindPrefix(n: GraphNode): string {
  return n.kind === 'gateway' ? '\u21e5 ' : n.kind === 'external' ? '\u2197 ' : '';
}

/**
 * An edge as a curve with its label: to a service's own version straight across the gap between
 * them; rightwards from the right of the source's group to the left of the target; leftwards in a
 * loop below both; within one column in a bulge to the right of the groups.
 */
function edgeSvg(e: GraphEdge, layout: MeshLayout, toOwnVersion: boolean): string {
  const [from, to] = [layout.boxes.get(e.from)!, layout.boxes.get(e.to)!];
  const [fromGroup, toGroup] = [layout.groups.get(e.from)!, layout.groups.get(e.to)!];
  const kind = e.kind === 'route' ? 'route' : e.allowed ? 'allowed' : 'denied';
  const offset = e.kind === 'route' ? -5 : 5;
  const [sy, ty] = [from.y + Math.min(from.height / 2, 15) + offset, to.y + Math.min(to.height / 2, 15) + offset];
  const below = e.kind === 'access' ? 13 : -4;
  let d: string;
  let lx: number;
  let ly: number;
  let anchor = 'middle';
  if (toOwnVersion) {
    const [sx, tx] = [from.x + from.width, to.x];
    d = `M${sx},${sy} C${sx + 40},${sy} ${tx - 40},${ty} ${tx},${ty}`;
    [lx, ly, anchor] = [tx - 8, ty - 5, 'end'];
  } else if (toGroup.x >= fromGroup.x + fromGroup.width) {
    const [sx, tx] = [fromGroup.x + fromGroup.width, to.x];
    const c = Math.max(30, (tx - sx) / 2);
    d = `M${sx},${sy} C${sx + c},${sy} ${tx - c},${ty} ${tx},${ty}`;
    [lx, ly] = [(sx + tx) / 2, (sy + ty) / 2 + below];
  } else if (toGroup.x + toGroup.width <= fromGroup.x) {
    const [sx, tx] = [from.x + 30 + offset, to.x + 30 + offset];
    const [fy, ey] = [from.y + from.height, to.y + to.height];
    const yb = Math.max(fy, ey) + 30 + Math.min(90, Math.abs(sx - tx) / 12);
    d = `M${sx},${fy} C${sx},${yb} ${tx},${yb} ${tx},${ey}`;
    [lx, ly] = [(sx + tx) / 2, (fy + ey) / 8 + 0.75 * yb + 4];
  } else {
    const [sx, tx] = [fromGroup.x + fromGroup.width, toGroup.x + toGroup.width];
    const bulge = Math.max(sx, tx) + 40 + Math.min(80, Math.abs(ty - sy) / 4);
    d = `M${sx},${sy} C${bulge},${sy} ${bulge},${ty} ${tx},${ty}`;
    [lx, ly, anchor] = [0.75 * bulge + 0.25 * (sx + tx) / 2 + 4, (sy + ty) / 2, 'start'];
  }
  const full = e.labels.join(' | ');
  const lines = e.kind === 'access' && !e.allowed ? [] : labelLines(e.labels);
  const what = e.kind === 'route' ? 'route' : e.allowed ? 'allowed call' : 'denied call';
  // Route labels stack upwards from above the curve, access labels downwards from below it.
  const first = e.kind === 'route' ? ly - (lines.length - 1) * LABEL_LINE : ly;
  return `<g class="edge ${e.kind} ${kind}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-label="${esc(full)}">`
    + `<title>${esc(`${what} ${e.from} \u2192 ${e.to}\n${e.labels.join('\n')}`)}</title>`
    + `<path d="${d}" marker-end="url(#arrow-${kind})"/>`
    + lines.map((l, i) => `<text x="${round(lx)}" y="${round(first + i * LABEL_LINE)}" text-anchor="${anchor}">${esc(l)}</text>`).join('')
    + '</g>';
}

/** A circle with the number of findings, coloured by the worst level; nothing without findings. */
function badge(findings: readonly AnalysisMessage[], x: number, y: number): string {
  if (findings.length === 0) return '';
  const level = worst(findings);
  return `<g class="finding ${level.toLowerCase()}" data-codes="${esc([...new Set(findings.map(f => f.code))].join(','))}">`
    + `<title>${esc(findings.map(findingText).join('\n'))}</title><circle cx="${x}" cy="${y}" r="9"/>`
    + `<text x="${x}" y="${y + 4}" text-anchor="middle">${findings.length}</text></g>`;
}

function findingsSection(graph: MeshGraph): string {
  const rows = [
    ...graph.findings.map(f => ['', f] as const),
    ...graph.namespaces.flatMap(n => n.findings.map(f => [`ns:${n.name}`, f] as const)),
    ...graph.nodes.flatMap(n => n.findings.map(f => [n.id, f] as const)),
  ];
  if (rows.length === 0) return '<section id="findings"><h2>Findings</h2><p>No analysis findings.</p></section>';
  return `<section id="findings"><h2>Findings (${rows.length})</h2><ul>\n${rows.map(([node, f]) =>
    `<li class="${f.level.toLowerCase()}" data-node="${esc(node)}">${esc(findingText(f))}</li>`).join('\n')}\n</ul></section>`;
}

function findingText(f: AnalysisMessage): string {
  const r = f.resource;
  return `${f.level} [${f.code}] (${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}) ${f.message}`;
}

function worst(findings: readonly AnalysisMessage[]): MessageLevel {
  return findings.some(f => f.level === 'Error') ? 'Error' : findings.some(f => f.level === 'Warning') ? 'Warning' : 'Info';
}

/** An edge's labels as short lines: one per rule, split at its alternatives when too long, at most {@link MAX_LABEL_LINES}. */
function labelLines(labels: readonly string[]): string[] {
  const lines = labels.flatMap(l => (l.length <= MAX_LABEL ? [l] : l.split(' | '))).map(l => truncate(l, MAX_LABEL));
  return lines.length <= MAX_LABEL_LINES ? lines : [...lines.slice(0, MAX_LABEL_LINES - 1), `+${lines.length - MAX_LABEL_LINES + 1} more`];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f7f8fa}
header{padding:10px 16px;background:#fff;border-bottom:1px solid #d9dee5;position:sticky;top:0;z-index:1}
h1{font-size:17px;margin:0 0 2px}
#summary{margin:0 0 6px;color:#52606d}
.tools{display:flex;gap:12px;align-items:center;flex-wrap:wrap}
#find{width:260px;padding:4px 8px}
.legend i{display:inline-block;width:22px;height:0;border-top:2px solid;vertical-align:middle;margin:0 4px 0 10px}
.legend .l-route{border-color:#2f6fdf}.legend .l-allowed{border-color:#2e9d5b}
.legend .l-denied{border-color:#b8bec6;border-top-style:dashed}
.legend .l-missing{border-color:#d64545;border-top-style:dashed}
#canvas{height:calc(100vh - 96px);min-height:360px;overflow:hidden;cursor:grab;background:#f7f8fa}
#canvas.dragging{cursor:grabbing}
svg{display:block;user-select:none}
.namespace>rect{fill:#fff;stroke:#c5ccd6}
.ns-label{font-weight:600;font-size:14px;fill:#323f4b}
.mtls{font-weight:500;font-size:12px;fill:#7b8794}.mtls-strict{fill:#2e7d4f}.mtls-disable{fill:#b42318}
.node>rect{fill:#fff;stroke:#7b8794;stroke-width:1.2}
.node .name{font-weight:600;font-size:13px;fill:#1f2933}
.node .detail{font-size:11px;fill:#52606d}
.node.gateway>rect{fill:#eef4ff;stroke:#2f6fdf}
.node.service>rect{fill:#fff;stroke:#3e4c59}
.node.version>rect{fill:#f0f7f2;stroke:#2e9d5b}
.node.version .name{font-weight:500;font-size:12px}
.node.workload>rect{fill:#fdf7ec;stroke:#b7791f}
.node.external>rect{fill:#f6f0fd;stroke:#7c5cc4}
.node.missing>rect{stroke:#d64545;stroke-dasharray:4 3;fill:#fff5f5}
.edge path{fill:none;stroke-width:1.6}
.edge text{font-size:11px;fill:#243b53;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.edge.route path{stroke:#2f6fdf}
.edge.allowed path{stroke:#2e9d5b}
.edge.denied path{stroke:#b8bec6;stroke-dasharray:5 4;stroke-width:1.1}
.arrow-route{fill:#2f6fdf}.arrow-allowed{fill:#2e9d5b}.arrow-denied{fill:#b8bec6}
svg.hide-denied .edge.denied{display:none}
.finding circle{stroke:#fff;stroke-width:1.5}.finding text{font-size:10px;font-weight:700;fill:#fff}
.finding.error circle{fill:#d64545}.finding.warning circle{fill:#e8a317}.finding.info circle{fill:#5b8def}
svg.focus .edge,svg.focus .node{opacity:.18}
svg.focus .edge.hl,svg.focus .node.hl{opacity:1}
.node.found>rect{stroke:#e8590c;stroke-width:3}
#findings{padding:8px 16px 24px;background:#fff;border-top:1px solid #d9dee5}
#findings h2{font-size:15px}#findings li.error{color:#b42318}#findings li.warning{color:#8a5a00}
`;

/** Pan (drag), zoom (wheel, around the pointer), fit, find, focus on a node's edges (hover), denied calls on and off. */
const SCRIPT = `
(function () {
  var svg = document.getElementById('mesh');
  var canvas = document.getElementById('canvas');
  var view = document.getElementById('viewport');
  var w = +svg.getAttribute('width'), h = +svg.getAttribute('height');
  var s = 1, tx = 0, ty = 0;
  function apply() {
    svg.setAttribute('width', canvas.clientWidth);
    svg.setAttribute('height', canvas.clientHeight);
    svg.setAttribute('viewBox', '0 0 ' + canvas.clientWidth + ' ' + canvas.clientHeight);
    view.setAttribute('transform', 'translate(' + tx + ',' + ty + ') scale(' + s + ')');
  }
  function fit() {
    s = Math.min(canvas.clientWidth / w, canvas.clientHeight / h, 1);
    tx = (canvas.clientWidth - w * s) / 2; ty = 0; apply();
  }
  function actual() { s = 1; tx = 0; ty = 0; apply(); }
  var fitScale = Math.min(canvas.clientWidth / w, canvas.clientHeight / h);
  if (fitScale >= 0.6) fit(); else actual();
  window.addEventListener('resize', apply);
  document.getElementById('fit').addEventListener('click', fit);
  document.getElementById('actual').addEventListener('click', actual);
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = canvas.getBoundingClientRect(), px = e.clientX - r.left, py = e.clientY - r.top;
    var k = Math.exp(-e.deltaY * 0.0015), ns = Math.max(0.05, Math.min(4, s * k));
    tx = px - (px - tx) * ns / s; ty = py - (py - ty) * ns / s; s = ns; apply();
  }, { passive: false });
  var drag = null;
  canvas.addEventListener('mousedown', function (e) { drag = { x: e.clientX - tx, y: e.clientY - ty }; canvas.classList.add('dragging'); });
  window.addEventListener('mousemove', function (e) { if (drag) { tx = e.clientX - drag.x; ty = e.clientY - drag.y; apply(); } });
  window.addEventListener('mouseup', function () { drag = null; canvas.classList.remove('dragging'); });
  var edges = Array.prototype.slice.call(svg.querySelectorAll('.edge'));
  function focus(id) {
    svg.classList.toggle('focus', !!id);
    Array.prototype.forEach.call(svg.querySelectorAll('.hl'), function (el) { el.classList.remove('hl'); });
    if (!id) return;
    var ids = {}; ids[id] = true;
    edges.forEach(function (e) {
      if (e.dataset.from === id || e.dataset.to === id) { e.classList.add('hl'); ids[e.dataset.from] = ids[e.dataset.to] = true; }
    });
    Array.prototype.forEach.call(svg.querySelectorAll('.node'), function (n) { if (ids[n.dataset.id]) n.classList.add('hl'); });
  }
  Array.prototype.forEach.call(svg.querySelectorAll('.node'), function (n) {
    n.addEventListener('mouseenter', function () { focus(n.dataset.id); });
    n.addEventListener('mouseleave', function () { focus(null); });
    n.addEventListener('focus', function () { focus(n.dataset.id); });
    n.addEventListener('blur', function () { focus(null); });
  });
  document.getElementById('show-denied').addEventListener('change', function (e) {
    svg.classList.toggle('hide-denied', !e.target.checked);
  });
  document.getElementById('find').addEventListener('keydown', function (e) {
    if (e.key !== 'Enter') return;
    var q = e.target.value.trim().toLowerCase();
    Array.prototype.forEach.call(svg.querySelectorAll('.found'), function (el) { el.classList.remove('found'); });
    if (!q) return;
    var hit = Array.prototype.find.call(svg.querySelectorAll('.node'), function (n) { return n.dataset.id.toLowerCase().indexOf(q) >= 0; });
    if (!hit) return;
    hit.classList.add('found');
    var b = hit.getBBox(); s = Math.max(s, 1);
    tx = canvas.clientWidth / 2 - (b.x + b.width / 2) * s; ty = canvas.clientHeight / 2 - (b.y + b.height / 2) * s; apply();
  });
})();
`;
