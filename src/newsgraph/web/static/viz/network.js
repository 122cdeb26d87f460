/* The network: the entity in the middle, the people, groups and places named in the same
 * sentences around it (the more sentences, the closer and the bigger), and lines between those
 * that share sentences themselves. A node opens its entity; a line opens a sentence that names
 * both. The layout is computed once (a fixed number of force steps from d3's deterministic
 * start), so the same data always draws the same picture. */
(function () {
  "use strict";
  const ng = window.newsgraph;
  const TYPES = ["PERSON", "ORG", "PLACE", "NORP"];

  ng.drawers.network = function (fig, data) {
    const nodes = (data.nodes || []).map(function (d) { return Object.assign({}, d); });
    const links = (data.links || []).map(function (d) { return Object.assign({}, d); });
    if (nodes.length < 2) {
      ng.caption(fig, "Nobody else is named in the same sentences.");
      return false;
    }
    const width = ng.width(fig), height = Math.round(Math.min(560, Math.max(220, 160 + nodes.length * 14)));
    const reach = Math.min(width, height) * 0.36; // how far the closest neighbours sit from the middle
    const maxW = d3.max(nodes, function (d) { return d.ego ? 0 : d.weight; }) || 1;
    const size = d3.scaleSqrt().domain([0, maxW]).range([4, 16]);
    const r = function (d) { return d.ego ? 18 : size(d.weight); };
    const ego = nodes.find(function (d) { return d.ego; }) || nodes[0];
    ego.fx = width / 2; ego.fy = height / 2;

    const sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id(function (d) { return d.id; })
        .distance(function (l) { return l.source === ego || l.target === ego ? reach * (0.55 + 0.45 / Math.sqrt(l.weight)) : reach * 0.8; })
        .strength(function (l) { return l.source === ego || l.target === ego ? 0.6 : 0.05; }))
      .force("charge", d3.forceManyBody().strength(-reach * (nodes.length > 12 ? 4 : 3)))
      .force("collide", d3.forceCollide(function (d) { return r(d) + 10; }))
      .force("x", d3.forceX(width / 2).strength(0.012))
      .force("y", d3.forceY(height / 2).strength(0.06))
      .stop();
    for (let i = 0; i < 320; i++) sim.tick();
    // A wide box: stretch the layout sideways (up to 1.8 times) so names have room.
    const half = d3.max(nodes, function (d) { return Math.abs(d.x - width / 2) + r(d); }) || 1;
    const stretch = Math.max(1, Math.min(1.8, (width / 2 - 60) / half));
    nodes.forEach(function (d) { d.x = width / 2 + (d.x - width / 2) * stretch; });
    nodes.forEach(function (d) {
      d.x = Math.max(r(d) + 4, Math.min(width - r(d) - 4, d.x));
      d.y = Math.max(r(d) + 4, Math.min(height - r(d) - 32, d.y)); // names and the legend below
    });

    const svg = ng.svg(fig, width, height, "Network of " + ng.plural(nodes.length - 1, "entity", "entities") + " named with " + ego.name);
    const edge = svg.append("g").attr("class", "links").selectAll("a").data(links).join("a")
      .attr("href", function (l) { return l.url; });
    edge.append("line")
      .attr("class", function (l) { return "link" + (l.source === ego || l.target === ego ? " spoke" : ""); })
      .attr("x1", function (l) { return l.source.x; }).attr("y1", function (l) { return l.source.y; })
      .attr("x2", function (l) { return l.target.x; }).attr("y2", function (l) { return l.target.y; })
      .attr("stroke-width", function (l) { return Math.min(7, 1 + Math.log2(l.weight)); })
      .append("title").text(function (l) { return l.source.name + " and " + l.target.name + ": named together in " + ng.plural(l.weight, "sentence", "sentences") + ". Click for one."; });

    const node = svg.append("g").attr("class", "nodes").selectAll("a").data(nodes).join("a")
      .attr("href", function (d) { return d.url; });
    node.append("circle")
      .attr("class", function (d) { return "node t-" + (TYPES.includes(d.type) ? d.type : "OTHER") + (d.ego ? " ego" : ""); })
      .attr("cx", function (d) { return d.x; }).attr("cy", function (d) { return d.y; }).attr("r", r)
      .append("title").text(function (d) {
        return d.name + " (" + d.type + "): " + (d.ego ? "named in " + ng.plural(d.weight, "sentence", "sentences") : "named with " + ego.name + " in " + ng.plural(d.weight, "sentence", "sentences"));
      });
    // Names under the nodes, the most-connected first; a name that would overprint one already
    // written is left to the node's tooltip.
    const boxes = [];
    nodes.slice().sort(function (a, b) { return (b.ego - a.ego) || (b.weight - a.weight); }).forEach(function (d) {
      const name = d.name.length > 28 ? d.name.slice(0, 27) + "…" : d.name;
      const w = name.length * 6.2, y = d.y + r(d) + 11;
      const box = { x0: d.x - w / 2, x1: d.x + w / 2, y0: y - 9, y1: y + 3 };
      const hit = boxes.some(function (b) { return box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1; }) ||
        nodes.some(function (o) { return o !== d && Math.abs(o.x - d.x) < r(o) + w / 2 && o.y - r(o) < box.y1 && o.y + r(o) > box.y0; });
      if (hit) return;
      boxes.push(box);
      node.filter(function (o) { return o === d; }).append("text").attr("class", "label")
        .attr("x", d.x).attr("y", y).attr("text-anchor", "middle").text(name);
    });

    const legend = svg.append("g").attr("class", "legend").attr("transform", "translate(8," + (height - 8) + ")");
    TYPES.forEach(function (t, i) {
      const g = legend.append("g").attr("transform", "translate(" + i * 74 + ",0)");
      g.append("circle").attr("class", "node t-" + t).attr("r", 5).attr("cx", 5).attr("cy", -4);
      g.append("text").attr("x", 14).attr("y", 0).text(t.toLowerCase());
    });

    let note = "Lines join entities named in the same sentence; thicker lines, more sentences.";
    if (data.others) note += " " + ng.plural(data.others, "other entity", "other entities") + " named with it less often are left out.";
    ng.caption(fig, note);
    return true;
  };
})();
