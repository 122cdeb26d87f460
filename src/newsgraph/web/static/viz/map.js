/* The map: Natural Earth country outlines (world-atlas, served from /static/vendor) and the
 * places of an entity or of a set of events, each a point sized by how often it counts, linked
 * to its entity page. Places known only to the country (the country's centre) are drawn as
 * dashed rings: the point stands for the whole country, not a spot in it. */
(function () {
  "use strict";
  const ng = window.newsgraph;
  const LABELS = 14; // the most-counted places get their names written

  /* Corners of the area to show: every place, with a margin, at least ~18 x 10 degrees. A
   * country known only by its centre does not widen the view when finer places in it are on
   * the map already (Russia's centre is in Siberia, far from Moscow and Grozny). */
  function frame(all) {
    const fine = new Set(all.filter(function (p) { return p.precision !== "country"; }).map(function (p) { return p.country; }));
    const places = all.filter(function (p) { return p.precision !== "country" || !fine.has(p.country); });
    let x0 = d3.min(places, function (p) { return p.lon; }), x1 = d3.max(places, function (p) { return p.lon; });
    let y0 = d3.min(places, function (p) { return p.lat; }), y1 = d3.max(places, function (p) { return p.lat; });
    const padX = Math.max(9 - (x1 - x0) / 2, (x1 - x0) * 0.12), padY = Math.max(5 - (y1 - y0) / 2, (y1 - y0) * 0.12);
    x0 = Math.max(-180, x0 - padX); x1 = Math.min(180, x1 + padX);
    y0 = Math.max(-85, y0 - padY); y1 = Math.min(85, y1 + padY);
    return { type: "MultiPoint", coordinates: [[x0, y0], [x1, y0], [x0, y1], [x1, y1], [(x0 + x1) / 2, y0], [(x0 + x1) / 2, y1]] };
  }

  /* Whether a label box overlaps one already placed. */
  function overlaps(box, placed) {
    return placed.some(function (b) { return box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1; });
  }

  /* Pan and zoom: points and names keep their size on screen, outlines their width. The wheel
   * zooms only with Ctrl (or Cmd) held, so it still scrolls the page. */
  function zoomable(fig, root, g, r, width, height) {
    const zoom = d3.zoom().scaleExtent([1, 16]).translateExtent([[0, 0], [width, height]])
      .filter(function (event) { return event.type === "wheel" ? event.ctrlKey || event.metaKey : !event.button; })
      .on("zoom", function (event) {
        const k = event.transform.k;
        g.attr("transform", event.transform);
        g.selectAll("circle.place").attr("r", function (p) { return r(p) / k; });
        g.selectAll("text.label").attr("font-size", 11 / k).attr("stroke-width", 3 / k)
          .attr("dx", function () { return this.getAttribute("data-dx") / k; });
      });
    root.call(zoom);
    const bar = document.createElement("div");
    bar.className = "viz-zoom";
    [["+", "Zoom in", function () { root.transition().duration(250).call(zoom.scaleBy, 2); }],
     ["−", "Zoom out", function () { root.transition().duration(250).call(zoom.scaleBy, 0.5); }],
     ["Reset", "Back to the whole view", function () { root.transition().duration(250).call(zoom.transform, d3.zoomIdentity); }]]
      .forEach(function (b) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b[0];
        button.title = b[1];
        button.setAttribute("aria-label", b[1]);
        button.addEventListener("click", b[2]);
        bar.appendChild(button);
      });
    fig.insertBefore(bar, fig.firstChild);
  }

  ng.drawers.map = async function (fig, data) {
    let places = (data.places || []).filter(function (p) { return p.lat != null && p.lon != null; });
    const unplaced = data.unplaced || [];
    if (!places.length) {
      const n = data.unplaced_count || unplaced.length;
      ng.caption(fig, "No place with coordinates to draw" + (n ? " (" + ng.plural(n, "place", "places") + " could not be located)." : "."));
      return false;
    }
    const world = await ng.loadWorld();
    const countries = topojson.feature(world, world.objects.countries).features;
    const borders = topojson.mesh(world, world.objects.countries, function (a, b) { return a !== b; });
    const width = ng.width(fig), height = Math.round(Math.min(520, Math.max(260, width * 0.56)));
    const projection = d3.geoNaturalEarth1().fitExtent([[12, 12], [width - 12, height - 12]], frame(places));
    const path = d3.geoPath(projection);
    const root = ng.svg(fig, width, height, "Map of " + ng.plural(places.length, "place", "places"));
    const svg = root.append("g").attr("class", "zoomable");
    const countryIds = new Set(places.map(function (p) { return p.country_numeric; }));

    svg.append("path").datum({ type: "Sphere" }).attr("class", "sphere").attr("d", path);
    svg.append("path").datum(d3.geoGraticule10()).attr("class", "graticule").attr("d", path);
    svg.append("g").attr("class", "countries").selectAll("path").data(countries).join("path")
      .attr("class", function (d) { return "country" + (countryIds.has(d.id) ? " visited" : ""); })
      .attr("data-country", function (d) { return d.id; })
      .attr("d", path)
      .append("title").text(function (d) { return d.properties.name; });
    svg.append("path").datum(borders).attr("class", "border").attr("d", path);

    // A country's centre left out of the frame (see frame()) is not drawn cut at the edge.
    const inside = function (p) {
      const xy = projection([p.lon, p.lat]);
      return xy && xy[0] >= 4 && xy[0] <= width - 4 && xy[1] >= 4 && xy[1] <= height - 4;
    };
    const outside = places.filter(function (p) { return !inside(p); });
    places = places.filter(inside);
    const maxCount = d3.max(places, function (p) { return p.count; }) || 1;
    const radius = d3.scaleSqrt().domain([0, maxCount]).range([0, 13]);
    const r = function (p) { return Math.max(3.5, radius(p.count)); };
    // Largest first, so a small place is never hidden under a big one.
    const order = places.slice().sort(function (a, b) { return b.count - a.count; });
    const marks = svg.append("g").attr("class", "places").selectAll("a").data(order).join("a")
      .attr("href", function (p) { return p.url; });
    marks.append("circle")
      .attr("class", function (p) { return "place" + (p.precision === "country" ? " coarse" : ""); })
      .attr("data-country", function (p) { return p.country_numeric; })
      .attr("cx", function (p) { return projection([p.lon, p.lat])[0]; })
      .attr("cy", function (p) { return projection([p.lon, p.lat])[1]; })
      .attr("r", r)
      .append("title").text(function (p) {
        return p.name + (p.country ? " (" + p.country + ")" : "") + ": " + p.reason + ".\nLocated: " + (p.geo_reason || "no reason recorded");
      });

    const placed = [];
    const labels = svg.append("g").attr("class", "labels");
    order.slice(0, LABELS).forEach(function (p) {
      const xy = projection([p.lon, p.lat]), rr = r(p);
      const w = p.name.length * 6.4;
      const right = xy[0] + rr + 3 + w < width;
      const box = right ? { x0: xy[0] + rr + 2, x1: xy[0] + rr + 4 + w } : { x0: xy[0] - rr - 4 - w, x1: xy[0] - rr - 2 };
      box.y0 = xy[1] - 7; box.y1 = xy[1] + 7;
      if (overlaps(box, placed)) return;
      placed.push(box);
      // x at the point and the gap as dx, so a zoom can keep the gap's size on screen
      labels.append("text").attr("class", "label").attr("stroke-width", 3)
        .attr("x", xy[0]).attr("dx", right ? rr + 2 : -(rr + 2)).attr("data-dx", right ? rr + 2 : -(rr + 2))
        .attr("y", xy[1]).attr("dy", "0.35em")
        .attr("text-anchor", right ? "start" : "end").text(p.name);
    });

    let note = ng.plural(places.length, "place", "places") + "; the bigger the point, the more events and sentences tie it here. Dashed rings stand for a whole country.";
    if (outside.length) note += " Outside this view (the centre of a country whose places are shown): " + outside.map(function (p) { return p.name; }).join(", ") + ".";
    const more = (data.unplaced_count || unplaced.length) - unplaced.length;
    if (unplaced.length) note += " Not on the map, no coordinates: " + unplaced.map(function (p) { return p.name; }).join(", ") + (more > 0 ? " and " + more + " more" : "") + ".";
    ng.caption(fig, note);
    ng.caption(fig, "Drag to move; zoom with the buttons, a double click, or the wheel with Ctrl held. Country outlines: Natural Earth 1:50m, public domain.");
    zoomable(fig, root, svg, r, width, height);
    return true;
  };
})();
