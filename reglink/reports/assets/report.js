/* reglink analyst report: flag filters and the network view (vanilla JS + SVG, no network). */
(function () {
  "use strict";

  var SVGNS = "http://www.w3.org/2000/svg";
  var dataNode = document.getElementById("report-data");
  var DATA = dataNode ? JSON.parse(dataNode.textContent) : { graphs: {} };

  /* ---------------------------------------------------------------- filters */

  var flags = Array.prototype.slice.call(document.querySelectorAll("details.flag"));
  var ruleSelect = document.getElementById("filter-rule");
  var searchBox = document.getElementById("filter-search");
  var severityBoxes = Array.prototype.slice.call(document.querySelectorAll("input.filter-severity"));
  var counter = document.getElementById("flag-count");

  function applyFilters() {
    var rule = ruleSelect ? ruleSelect.value : "";
    var words = searchBox ? searchBox.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    var severities = {};
    severityBoxes.forEach(function (box) { severities[box.value] = box.checked; });
    var shown = 0;
    flags.forEach(function (flag) {
      var text = flag.getAttribute("data-search") || "";
      var ok = (!rule || flag.getAttribute("data-rule") === rule) &&
        severities[flag.getAttribute("data-severity")] !== false &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      flag.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (counter) { counter.textContent = "showing " + shown + " of " + flags.length; }
  }

  if (ruleSelect) { ruleSelect.addEventListener("change", applyFilters); }
  if (searchBox) { searchBox.addEventListener("input", applyFilters); }
  severityBoxes.forEach(function (box) { box.addEventListener("change", applyFilters); });

  function setAll(open) {
    flags.forEach(function (flag) { if (!flag.hidden) { flag.open = open; } });
  }
  var expand = document.getElementById("expand-all");
  var collapse = document.getElementById("collapse-all");
  if (expand) { expand.addEventListener("click", function () { setAll(true); }); }
  if (collapse) { collapse.addEventListener("click", function () { setAll(false); }); }
  var printButton = document.getElementById("print-report");
  if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
  window.addEventListener("beforeprint", function () { setAll(true); });

  function openFromHash() {
    var id = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    if (!id) { return; }
    var target = document.getElementById(id);
    if (target && target.classList.contains("flag")) {
      target.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  applyFilters();

  /* ----------------------------------------------------------- network view */

  var COLOURS = {
    person: "#2f6db5", record: "#7a8599", organisation: "#0b7a75", address: "#a0782c",
    third_party: "#d4a017", place: "#c0392b", passport: "#555e6e", cohort: "#9fb8d9",
    name: "#d4a017", entity: "#2f6db5", report: "#c0392b"
  };
  var RECORD_COLOURS = {
    births: "#8e5bb5", visas: "#d07a1a", schools: "#2e8b57", missing: "#c0392b", watchlist: "#333a45"
  };

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function html(name, attrs, parent, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function colourOf(node) {
    if (node.type === "record") { return RECORD_COLOURS[node.kind] || COLOURS.record; }
    if (node.type === "person" && node.kind === "watchlist") { return "#b3261e"; }
    return COLOURS[node.type] || "#7a8599";
  }

  function radiusOf(node) {
    if (node.centre) { return 15; }
    if (node.type === "record") { return 7; }
    if (node.type === "person") { return 9; }
    return 8;
  }

  /* A shape per node type, so the view reads in greyscale print too. */
  function drawShape(group, node) {
    var r = radiusOf(node);
    var fill = colourOf(node);
    var shape;
    switch (node.type) {
      case "record":
        shape = el("rect", { x: -r, y: -r, width: 2 * r, height: 2 * r, rx: 2 }, group);
        break;
      case "organisation":
        shape = el("polygon", { points: [0, -r - 2, r + 2, 0, 0, r + 2, -r - 2, 0].join(" ") }, group);
        break;
      case "address":
        shape = el("polygon", { points: [0, -r - 1, r + 1, -1, r, r, -r, r, -r - 1, -1].join(" ") }, group);
        break;
      case "third_party":
      case "name":
        var pts = [];
        for (var i = 0; i < 6; i += 1) {
          var a = Math.PI / 3 * i;
          pts.push((Math.cos(a) * (r + 1)).toFixed(1), (Math.sin(a) * (r + 1)).toFixed(1));
        }
        shape = el("polygon", { points: pts.join(" ") }, group);
        break;
      case "place":
        shape = el("polygon", { points: [-r, -r, r, -r, 0, r + 2].join(" ") }, group);
        break;
      case "cohort":
        shape = el("circle", { r: r + 3, "stroke-dasharray": "3 2" }, group);
        shape.setAttribute("class", "shape cohort");
        shape.setAttribute("fill", fill);
        return shape;
      case "passport":
        shape = el("rect", { x: -r + 2, y: -r - 1, width: 2 * r - 4, height: 2 * r + 2, rx: 1 }, group);
        break;
      default:
        shape = el("circle", { r: r }, group);
    }
    shape.setAttribute("class", "shape");
    shape.setAttribute("fill", fill);
    return shape;
  }

  /* Breadth-first depth of every node from the centre. */
  function depths(nodes, adjacency, centre) {
    var depth = {};
    var queue = [centre];
    depth[centre] = 0;
    while (queue.length) {
      var id = queue.shift();
      (adjacency[id] || []).forEach(function (next) {
        if (depth[next] === undefined) { depth[next] = depth[id] + 1; queue.push(next); }
      });
    }
    var deepest = 0;
    Object.keys(depth).forEach(function (k) { deepest = Math.max(deepest, depth[k]); });
    nodes.forEach(function (n) { if (depth[n.id] === undefined) { depth[n.id] = deepest + 1; } });
    return depth;
  }

  /* Radial start (rings by depth, children near their parent), then a deterministic
     force-directed relaxation: repulsion, edge springs and a pull to each ring. */
  function layout(graph) {
    var nodes = graph.nodes.map(function (n) { return { data: n, id: n.id, x: 0, y: 0 }; });
    var index = {};
    nodes.forEach(function (n, i) { index[n.id] = i; });
    var adjacency = {};
    var edges = [];
    graph.edges.forEach(function (e) {
      if (index[e.s] === undefined || index[e.t] === undefined) { return; }
      (adjacency[e.s] = adjacency[e.s] || []).push(e.t);
      (adjacency[e.t] = adjacency[e.t] || []).push(e.s);
      edges.push([index[e.s], index[e.t]]);
    });
    Object.keys(adjacency).forEach(function (k) { adjacency[k].sort(); });
    var depth = depths(graph.nodes, adjacency, graph.centre);
    var rings = {};
    nodes.forEach(function (n) { (rings[depth[n.id]] = rings[depth[n.id]] || []).push(n); });
    var angle = {};
    var radius = { 0: 0 };
    var levels = Object.keys(rings).map(Number).sort(function (a, b) { return a - b; });
    levels.forEach(function (d) {
      var ring = rings[d];
      if (d === 0) {
        ring.forEach(function (n) { angle[n.id] = 0; });
        return;
      }
      radius[d] = Math.max((radius[d - 1] || 0) + 125, ring.length * 34 / (2 * Math.PI));
      ring.forEach(function (n) {
        var parents = (adjacency[n.id] || []).filter(function (p) { return depth[p] === d - 1; });
        var sum = 0;
        parents.forEach(function (p) { sum += angle[p] || 0; });
        n.key = parents.length ? sum / parents.length : 0;
      });
      ring.sort(function (a, b) { return a.key - b.key || (a.id < b.id ? -1 : 1); });
      var offset = d === 1 ? -Math.PI / 2 : (ring.length ? ring[0].key : 0);
      ring.forEach(function (n, i) {
        angle[n.id] = offset + 2 * Math.PI * i / ring.length;
      });
    });
    nodes.forEach(function (n) {
      var r = radius[depth[n.id]] || 0;
      n.ring = r;
      n.x = Math.cos(angle[n.id]) * r;
      n.y = Math.sin(angle[n.id]) * r;
    });
    var k = 62;
    var temperature = 24;
    var steps = nodes.length > 150 ? 160 : 260;
    for (var step = 0; step < steps; step += 1) {
      var dx = new Float64Array(nodes.length);
      var dy = new Float64Array(nodes.length);
      for (var i = 0; i < nodes.length; i += 1) {
        for (var j = i + 1; j < nodes.length; j += 1) {
          var ex = nodes[i].x - nodes[j].x;
          var ey = nodes[i].y - nodes[j].y;
          var d2 = ex * ex + ey * ey + 0.01;
          var force = k * k / d2;
          dx[i] += ex * force; dy[i] += ey * force;
          dx[j] -= ex * force; dy[j] -= ey * force;
        }
      }
      edges.forEach(function (pair) {
        var a = nodes[pair[0]], b = nodes[pair[1]];
        var ex = a.x - b.x, ey = a.y - b.y;
        var dist = Math.sqrt(ex * ex + ey * ey) + 0.01;
        var pull = dist / k;
        dx[pair[0]] -= ex * pull; dy[pair[0]] -= ey * pull;
        dx[pair[1]] += ex * pull; dy[pair[1]] += ey * pull;
      });
      nodes.forEach(function (n, i) {
        if (n.id === graph.centre) { n.x = 0; n.y = 0; return; }
        var dist = Math.sqrt(n.x * n.x + n.y * n.y) + 0.01;
        var radial = (n.ring - dist) * 0.6;
        dx[i] += n.x / dist * radial * k / 10;
        dy[i] += n.y / dist * radial * k / 10;
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 0.01;
        var move = Math.min(len, temperature);
        n.x += dx[i] / len * move;
        n.y += dy[i] / len * move;
      });
      temperature = Math.max(0.5, temperature * 0.985);
    }
    return { nodes: nodes, index: index, adjacency: adjacency };
  }

  function renderNetwork(host, graph) {
    host.textContent = "";
    var placed = layout(graph);
    var tools = html("div", { "class": "net-tools" }, host);
    var fit = html("button", { type: "button" }, tools, "Fit");
    var labels = html("label", {}, tools);
    var labelBox = html("input", { type: "checkbox" }, labels);
    labels.appendChild(document.createTextNode(" all labels"));
    var elabels = html("label", {}, tools);
    var elabelBox = html("input", { type: "checkbox" }, elabels);
    elabels.appendChild(document.createTextNode(" link labels"));
    html("span", { "class": "muted" }, tools,
      graph.nodes.length + " nodes, " + graph.edges.length + " links" +
      (graph.hidden ? " (" + graph.hidden + " more not drawn)" : "") +
      " · drag to move, wheel to zoom, click a node for details");

    var svg = el("svg", { "class": "net hide-elabels", role: "img",
      "aria-label": "network of the flag's subject" }, host);
    var manyNodes = graph.nodes.length > 60;
    labelBox.checked = !manyNodes;
    if (manyNodes) { svg.classList.add("hide-labels"); }
    var view = el("g", { "class": "viewport" }, svg);
    var edgeLayer = el("g", {}, view);
    var labelLayer = el("g", {}, view);
    var nodeLayer = el("g", {}, view);
    var info = html("div", { "class": "net-info" }, host);

    var edgeViews = graph.edges.map(function (e) {
      var a = placed.nodes[placed.index[e.s]], b = placed.nodes[placed.index[e.t]];
      var cls = "edge" + (e.evidence ? " ev" : "") + (e.p !== null && e.p !== undefined && e.p < 0.95 ? " uncertain" : "");
      var line = el("line", { "class": cls }, edgeLayer);
      var title = el("title", {}, line);
      title.textContent = e.label + (e.p !== null && e.p !== undefined ? " (linked at p=" + e.p.toFixed(4) + ")" : "");
      var text = el("text", { "class": "elabel", "text-anchor": "middle" }, labelLayer);
      text.textContent = e.label;
      return { edge: e, a: a, b: b, line: line, text: text };
    });

    var nodeViews = placed.nodes.map(function (n) {
      var d = n.data;
      var major = d.centre || d.type === "person" || d.type === "organisation" || d.type === "third_party" || d.type === "cohort";
      var g = el("g", { "class": "node" + (d.centre ? " centre" : "") + (d.evidence ? " ev" : "") + (major ? " major" : ""),
        "data-id": d.id, "data-type": d.type, tabindex: "0" }, nodeLayer);
      drawShape(g, d);
      var title = el("title", {}, g);
      title.textContent = d.label + (d.detail ? " — " + d.detail : "");
      var text = el("text", { y: radiusOf(d) + 11, "text-anchor": "middle" }, g);
      text.textContent = d.label.length > 28 ? d.label.slice(0, 26) + "…" : d.label;
      return { node: n, g: g };
    });

    function redraw() {
      edgeViews.forEach(function (v) {
        v.line.setAttribute("x1", v.a.x.toFixed(1)); v.line.setAttribute("y1", v.a.y.toFixed(1));
        v.line.setAttribute("x2", v.b.x.toFixed(1)); v.line.setAttribute("y2", v.b.y.toFixed(1));
        v.text.setAttribute("x", ((v.a.x + v.b.x) / 2).toFixed(1));
        v.text.setAttribute("y", ((v.a.y + v.b.y) / 2 - 2).toFixed(1));
      });
      nodeViews.forEach(function (v) {
        v.g.setAttribute("transform", "translate(" + v.node.x.toFixed(1) + "," + v.node.y.toFixed(1) + ")");
      });
    }

    var zoom = { s: 1, x: 0, y: 0 };
    function applyZoom() {
      view.setAttribute("transform", "translate(" + zoom.x.toFixed(1) + "," + zoom.y.toFixed(1) + ") scale(" + zoom.s.toFixed(3) + ")");
    }
    function fitView() {
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      placed.nodes.forEach(function (n) {
        minX = Math.min(minX, n.x); minY = Math.min(minY, n.y);
        maxX = Math.max(maxX, n.x); maxY = Math.max(maxY, n.y);
      });
      var pad = 40;
      svg.setAttribute("viewBox", [minX - pad, minY - pad, (maxX - minX) + 2 * pad, (maxY - minY) + 2 * pad + 12].map(function (v) { return v.toFixed(1); }).join(" "));
      zoom = { s: 1, x: 0, y: 0 };
      applyZoom();
    }

    function toSvg(event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX; point.y = event.clientY;
      var matrix = view.getScreenCTM();
      return matrix ? point.matrixTransform(matrix.inverse()) : point;
    }
    function toRoot(event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX; point.y = event.clientY;
      var matrix = svg.getScreenCTM();
      return matrix ? point.matrixTransform(matrix.inverse()) : point;
    }

    function focus(id) {
      var near = {};
      near[id] = true;
      (placed.adjacency[id] || []).forEach(function (n) { near[n] = true; });
      svg.classList.add("focus");
      nodeViews.forEach(function (v) { v.g.classList.toggle("near", !!near[v.node.id]); });
      edgeViews.forEach(function (v) {
        var on = v.edge.s === id || v.edge.t === id;
        v.line.classList.toggle("near", on);
        v.text.classList.toggle("near", on);
      });
      var d = placed.nodes[placed.index[id]].data;
      info.textContent = "";
      html("b", {}, info, d.label);
      html("div", { "class": "muted" }, info, d.type.replace("_", " ") + (d.kind && d.kind !== d.type ? " · " + d.kind : ""));
      if (d.detail) { html("div", {}, info, d.detail); }
      html("div", { "class": "mono muted" }, info, d.id);
      var linked = (placed.adjacency[id] || []).length;
      html("div", { "class": "muted" }, info, linked + " link" + (linked === 1 ? "" : "s"));
    }
    function unfocus() {
      svg.classList.remove("focus");
      info.textContent = "";
    }

    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      var target = event.target.closest ? event.target.closest("g.node") : null;
      if (target) {
        var id = target.getAttribute("data-id");
        drag = { kind: "node", node: placed.nodes[placed.index[id]], moved: false, id: id };
      } else {
        var p = toRoot(event);
        drag = { kind: "pan", x: p.x - zoom.x, y: p.y - zoom.y, moved: false };
      }
      try { svg.setPointerCapture(event.pointerId); } catch (ignored) { /* not a live pointer */ }
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      drag.moved = true;
      if (drag.kind === "node") {
        var p = toSvg(event);
        drag.node.x = p.x; drag.node.y = p.y;
        redraw();
      } else {
        var q = toRoot(event);
        zoom.x = q.x - drag.x; zoom.y = q.y - drag.y;
        applyZoom();
      }
    });
    svg.addEventListener("pointerup", function () {
      if (drag && !drag.moved) {
        if (drag.kind === "node") { focus(drag.id); } else { unfocus(); }
      }
      drag = null;
    });
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toRoot(event);
      var factor = event.deltaY < 0 ? 1.15 : 1 / 1.15;
      var s = Math.min(8, Math.max(0.2, zoom.s * factor));
      zoom.x = p.x - (p.x - zoom.x) * s / zoom.s;
      zoom.y = p.y - (p.y - zoom.y) * s / zoom.s;
      zoom.s = s;
      applyZoom();
    }, { passive: false });
    svg.addEventListener("keydown", function (event) {
      var target = event.target.closest ? event.target.closest("g.node") : null;
      if (target && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        focus(target.getAttribute("data-id"));
      }
    });
    fit.addEventListener("click", fitView);
    labelBox.addEventListener("change", function () { svg.classList.toggle("hide-labels", !labelBox.checked); });
    elabelBox.addEventListener("change", function () { svg.classList.toggle("hide-elabels", !elabelBox.checked); });

    var legend = html("div", { "class": "net-legend" }, host);
    var present = {};
    graph.nodes.forEach(function (n) { present[n.type === "record" ? "record:" + n.kind : n.type] = n; });
    Object.keys(present).sort().forEach(function (key) {
      var item = html("span", {}, legend);
      var icon = el("svg", { width: 22, height: 22, viewBox: "-11 -11 22 22" }, item);
      var sample = { type: present[key].type, kind: present[key].kind, centre: false };
      drawShape(el("g", {}, icon), sample);
      item.appendChild(document.createTextNode(" " + (key.indexOf("record:") === 0 ? key.slice(7) + " record" : key.replace("_", " "))));
    });
    var uncertain = html("span", {}, legend);
    var sampleLine = el("svg", { width: 26, height: 10 }, uncertain);
    el("line", { x1: 1, y1: 5, x2: 25, y2: 5, stroke: "#c0392b", "stroke-dasharray": "5 4", "stroke-width": 1.4 }, sampleLine);
    uncertain.appendChild(document.createTextNode(" link below 0.95"));

    redraw();
    fitView();
    host.setAttribute("data-rendered", "true");
  }

  function wireNetworks() {
    Array.prototype.slice.call(document.querySelectorAll("details.network")).forEach(function (box) {
      box.addEventListener("toggle", function () {
        if (!box.open) { return; }
        var host = box.querySelector(".net-host");
        if (!host || host.getAttribute("data-rendered") === "true") { return; }
        var graph = DATA.graphs[box.getAttribute("data-flag")];
        if (!graph || !graph.nodes.length) {
          host.textContent = "No network: this flag's records are not in the store.";
          host.setAttribute("data-rendered", "true");
          return;
        }
        renderNetwork(host, graph);
      });
    });
  }
  wireNetworks();
})();
