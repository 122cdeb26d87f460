/* The timeline: one row per event type, each event a bar as wide as its date is precise (a
 * day, a month, a year, a season...), linked to the sentence that states it. Events the text
 * only reports, alleges, denies or supposes are drawn pale and dashed. Undated events have no
 * place on it and are only counted (they are in the table). */
(function () {
  "use strict";
  const ng = window.newsgraph;
  const ROW = 14, GAP = 3, BAND = 8, LEFT = 96, AXIS = 28, MIN_W = 5;
  const MAX_LANES = 12; // per event type; beyond, bars are drawn over one another

  /* Too many events to draw one by one: per type, a cell per year, darker with more events;
   * each opens the events page narrowed to that type and year. */
  function density(fig, data) {
    const cells = data.by_year;
    const width = ng.width(fig);
    const types = d3.groupSort(cells, function (g) { return -d3.sum(g, function (c) { return c.count; }); }, function (c) { return c.type; });
    const x = d3.scaleUtc().domain([ng.day(d3.min(cells, function (c) { return c.start; })), ng.day(d3.max(cells, function (c) { return c.end; }))]).range([LEFT, width - 16]);
    const rowH = ROW + 8, height = types.length * rowH + AXIS + 6;
    const y = function (t) { return 6 + types.indexOf(t) * rowH; };
    const shade = d3.scaleSequentialLog(d3.interpolateBlues).domain([1, d3.max(cells, function (c) { return c.count; }) || 1]);
    const svg = ng.svg(fig, width, height, "Events per type and year");
    svg.append("g").selectAll("text").data(types).join("text").attr("class", "rowlabel")
      .attr("x", 6).attr("y", function (t) { return y(t) + ROW / 2; }).attr("dy", "0.35em").text(function (t) { return t; });
    svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - AXIS + 2) + ")")
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110))).tickSizeOuter(0));
    const here = new URLSearchParams(new URL(fig.parentNode.dataset.src, location.href).search);
    if (data.entity) here.set("entity", data.entity); // an entity's own timeline
    const cell = svg.append("g").selectAll("a").data(cells).join("a").attr("href", function (c) {
      const q = new URLSearchParams(here);
      q.set("type", c.type); q.set("since", c.year); q.set("until", c.year); q.delete("limit");
      return "/events?" + q.toString();
    });
    cell.append("rect").attr("class", "cell")
      .attr("x", function (c) { return x(ng.day(c.start)) + 0.5; }).attr("width", function (c) { return Math.max(1, x(ng.day(c.end)) - x(ng.day(c.start)) - 1); })
      .attr("y", function (c) { return y(c.type); }).attr("height", ROW).attr("fill", function (c) { return shade(c.count); })
      .append("title").text(function (c) { return c.type + " in " + c.year + ": " + ng.plural(c.count, "event", "events") + ". Click to see them."; });
    cell.filter(function (c) { return x(ng.day(c.end)) - x(ng.day(c.start)) > String(c.count).length * 6.5 + 4; })
      .append("text").attr("class", function (c) { return "cellcount" + (shade(c.count) && c.count > Math.sqrt(shade.domain()[1]) ? " dark" : ""); })
      .attr("x", function (c) { return (x(ng.day(c.start)) + x(ng.day(c.end))) / 2; }).attr("y", function (c) { return y(c.type) + ROW / 2; })
      .attr("dy", "0.35em").attr("text-anchor", "middle").text(function (c) { return d3.format(",")(c.count); });
    const total = d3.sum(cells, function (c) { return c.count; });
    ng.caption(fig, "Too many events to draw one by one (" + ng.plural(total, "dated event", "dated events") + "): each cell counts a type's events dated within that year (a month or a day included), darker for more. Click a cell, or narrow the filters, to see the events themselves.");
    return true;
  }

  ng.drawers.timeline = function (fig, data) {
    if (data.more && data.by_year && data.by_year.length) return density(fig, data);
    const items = (data.items || []).map(function (d) {
      return Object.assign({}, d, { s: ng.day(d.date.start), e: ng.day(d.date.end) });
    });
    let undatedNote = data.undated ? ng.plural(data.undated, "event has", "events have") + " no date and cannot be placed on the timeline." : "";
    if (data.more) undatedNote += " Only the earliest " + ng.plural(data.items.length, "event is", "events are") + " drawn; narrow the filters to see the others.";
    if (!items.length) {
      ng.caption(fig, "No dated events to draw. " + undatedNote);
      return false;
    }
    const width = ng.width(fig);
    let lo = d3.min(items, function (d) { return d.s; }), hi = d3.max(items, function (d) { return d.e; });
    if (hi - lo < 90 * 864e5) { // at least three months on the axis
      const mid = (lo.getTime() + hi.getTime()) / 2;
      lo = new Date(mid - 45 * 864e5); hi = new Date(mid + 45 * 864e5);
    }
    const pad = (hi - lo) * 0.03; // bars clear of the row labels and the right edge
    const x = d3.scaleUtc().domain([new Date(lo.getTime() - pad), new Date(hi.getTime() + pad)]).range([LEFT, width - 16]).nice();

    // Types by how many events they hold; within a type, bars stacked into lanes so none overlap.
    const types = d3.groupSort(items, function (g) { return -g.length; }, function (d) { return d.type; });
    const colour = d3.scaleOrdinal(types, d3.schemeTableau10.concat(["#6b6ecf", "#8c6d31", "#843c39", "#7b4173"]));
    let y = 6, crowded = 0;
    const rows = types.map(function (type) {
      const lanes = [], prev = [];
      items.filter(function (d) { return d.type === type; })
        .sort(function (a, b) { return a.s - b.s || b.e - a.e; })
        .forEach(function (d) {
          d.x0 = x(d.s); d.w = Math.max(MIN_W, x(d.e) - d.x0);
          let lane = lanes.findIndex(function (end) { return end + 2 <= d.x0; });
          if (lane < 0 && lanes.length < MAX_LANES) { lane = lanes.length; lanes.push(0); }
          if (lane < 0) { // a crowded row: over the lane that frees up first
            lane = lanes.indexOf(d3.min(lanes));
            crowded++;
          }
          d.prevEnd = lanes[lane] || LEFT;
          lanes[lane] = d.x0 + d.w;
          d.lane = lane;
          if (prev[lane]) prev[lane].next = d.x0;
          prev[lane] = d;
        });
      const row = { type: type, y: y, lanes: Math.max(1, lanes.length) };
      y += row.lanes * (ROW + GAP) + BAND;
      return row;
    });
    const rowOf = new Map(rows.map(function (r) { return [r.type, r]; }));
    const height = y + AXIS;
    const svg = ng.svg(fig, width, height, "Timeline of " + ng.plural(items.length, "event", "events"));

    svg.append("g").attr("class", "bands").selectAll("rect").data(rows).join("rect")
      .attr("class", function (r, i) { return "band" + (i % 2 ? " odd" : ""); })
      .attr("x", 0).attr("width", width).attr("y", function (r) { return r.y - BAND / 2; })
      .attr("height", function (r) { return r.lanes * (ROW + GAP) + BAND; });
    svg.append("g").attr("class", "rowlabels").selectAll("text").data(rows).join("text")
      .attr("class", "rowlabel").attr("x", 6).attr("y", function (r) { return r.y + ROW / 2; }).attr("dy", "0.35em")
      .text(function (r) { return r.type; });

    svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - AXIS + 2) + ")")
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110))).tickSizeOuter(0));

    const marks = svg.append("g").attr("class", "items").selectAll("a").data(items).join("a")
      .attr("href", function (d) { return d.url; });
    marks.append("rect")
      .attr("class", function (d) { return "item p-" + d.date.precision + (d.modality === "asserted" ? "" : " hedged"); })
      .attr("x", function (d) { return d.x0; })
      .attr("y", function (d) { return rowOf.get(d.type).y + d.lane * (ROW + GAP); })
      .attr("width", function (d) { return d.w; }).attr("height", ROW).attr("rx", 2)
      .attr("fill", function (d) { return colour(d.type); })
      .append("title").text(function (d) {
        return d.date.label + " (" + d.date.precision + (d.date.text ? ', "' + d.date.text + '"' : "") + "): " + d.type +
          (d.modality === "asserted" ? "" : " (" + d.modality + ")") + ', "' + d.trigger + '"' +
          (d.place ? " in " + d.place.name : "") + "." + (d.also.length ? " Reported by " + (d.also.length + 1) + " articles." : "") + " Click for the sentence.";
      });

    // The date written beside a bar where the lane leaves room (beyond ~60 events it would crowd).
    if (items.length <= 60) {
      marks.each(function (d) {
        const w = d.date.label.length * 5.8 + 4, room = (d.next === undefined ? width - 4 : d.next - 3) - (d.x0 + d.w);
        const left = room < w;
        if (left && d.x0 - 3 - d.prevEnd < w) return;
        d3.select(this).append("text").attr("class", "itemlabel")
          .attr("x", left ? d.x0 - 3 : d.x0 + d.w + 3).attr("text-anchor", left ? "end" : "start")
          .attr("y", rowOf.get(d.type).y + d.lane * (ROW + GAP) + ROW / 2).attr("dy", "0.35em")
          .text(d.date.label);
      });
    }

    if (crowded) undatedNote += " Where more than " + MAX_LANES + " events of a type overlap, bars are drawn over one another (" + crowded + " of them); the table lists every event.";
    ng.caption(fig, ng.plural(items.length, "event", "events") + ". Each bar spans what its date states: a day, a month, a year. Pale dashed bars: reported, alleged, denied or supposed, not asserted. " + undatedNote);
    return true;
  };
})();
