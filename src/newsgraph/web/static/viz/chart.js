/* Two charts: a group of figures over their as-of dates, and articles by month.
 *
 * Figures: each figure a point at its value, over the span its as-of date covers (a year-long
 * line for "in 2019"); a vertical line for its bounds ("between 36 and 119"), an arrow for an
 * open bound ("more than 300"); hollow when approximate; red when it conflicts with another
 * figure of the group (the reasons are in its tooltip). Figures with no as-of date stand in a
 * column of their own: no date is made up for them. Each opens the sentence that states it. */
(function () {
  "use strict";
  const ng = window.newsgraph;
  const fmt = d3.format(",~r");

  function level(p) { return p.value != null ? p.value : p.lower != null ? p.lower : p.upper; }

  ng.drawers.chart = function (fig, data) {
    const pts = (data.points || []).filter(function (p) { return level(p) != null; });
    if (!pts.length) {
      ng.caption(fig, "No figure in this group has a number to draw.");
      return false;
    }
    const dated = pts.filter(function (p) { return p.as_of; }), undated = pts.filter(function (p) { return !p.as_of; });
    const width = ng.width(fig), height = 260, left = 64, top = 16, bottom = 30;
    const COL = 60; // centre of the "date not stated" column, from the right edge
    const right = width - 16 - (undated.length ? 2 * COL : 0);
    const values = [];
    pts.forEach(function (p) { [p.value, p.lower, p.upper].forEach(function (v) { if (v != null) values.push(v); }); });
    const y = d3.scaleLinear().domain([0, d3.max(values) * 1.1 || 1]).range([height - bottom, top]).nice();
    const svg = ng.svg(fig, width, height, "Chart of " + ng.plural(pts.length, "figure", "figures") + (data.what ? " of " + data.what : ""));
    svg.append("g").attr("class", "axis").attr("transform", "translate(" + left + ",0)").call(d3.axisLeft(y).ticks(5).tickFormat(fmt));

    let x = null;
    if (dated.length) {
      let lo = d3.min(dated, function (p) { return ng.day(p.as_of.start); }), hi = d3.max(dated, function (p) { return ng.day(p.as_of.end); });
      if (hi - lo < 365 * 864e5) { lo = d3.utcMonth.offset(lo, -3); hi = d3.utcMonth.offset(hi, 3); }
      x = d3.scaleUtc().domain([lo, hi]).range([left + 10, right]).nice();
      svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - bottom) + ")")
        .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor((right - left) / 110))).tickSizeOuter(0));
    }
    if (undated.length) {
      svg.append("line").attr("class", "colsep").attr("x1", right + 14).attr("x2", right + 14).attr("y1", top).attr("y2", height - bottom);
      svg.append("text").attr("class", "colhead").attr("x", width - COL).attr("y", height - bottom + 18).attr("text-anchor", "middle").text("date not stated");
    }

    // Spread points sharing a column a little, so none hides another.
    const seen = new Map();
    const cx = function (p) {
      const base = p.as_of ? (x(ng.day(p.as_of.start)) + x(ng.day(p.as_of.end))) / 2 : width - COL;
      const key = Math.round(base / 6), n = seen.get(key) || 0;
      seen.set(key, n + 1);
      return base + (n % 2 ? 1 : -1) * Math.ceil(n / 2) * 7;
    };
    const marks = svg.append("g").attr("class", "claims").selectAll("a").data(pts).join("a")
      .attr("href", function (p) { return p.url; })
      .attr("class", function (p) { return "claim" + (p.conflicts.length ? " conflict" : "") + (p.approximate ? " approx" : ""); });
    marks.each(function (p) {
      const g = d3.select(this), px = cx(p), py = y(level(p));
      if (p.as_of) g.append("line").attr("class", "span").attr("x1", x(ng.day(p.as_of.start))).attr("x2", x(ng.day(p.as_of.end))).attr("y1", py).attr("y2", py);
      if (p.lower != null && p.upper != null) {
        g.append("line").attr("class", "bounds").attr("x1", px).attr("x2", px).attr("y1", y(p.lower)).attr("y2", y(p.upper));
      } else if (p.lower != null || p.upper != null) { // an open bound: an arrow the way it is open
        const up = p.lower != null, at = y(up ? p.lower : p.upper), tip = at + (up ? -18 : 18);
        g.append("line").attr("class", "bounds").attr("x1", px).attr("x2", px).attr("y1", at).attr("y2", tip);
        g.append("path").attr("class", "arrow").attr("d", "M" + (px - 4) + "," + (tip + (up ? 5 : -5)) + "L" + px + "," + tip + "L" + (px + 4) + "," + (tip + (up ? 5 : -5)) + "Z");
      }
      g.append("circle").attr("class", "dot").attr("cx", px).attr("cy", py).attr("r", 4.5);
      let tip = fmt(level(p)) + ' ("' + p.text + '"), as of ' + (p.as_of ? p.as_of.label : "a date not stated") + (p.source ? ", according to " + p.source : "") + ".";
      p.conflicts.forEach(function (c) { tip += "\nConflicts: " + c.reason; });
      g.append("title").text(tip + "\nClick for the sentence.");
    });

    ng.caption(fig, (data.what ? "What is counted: " + data.what + (data.unit ? " (" + data.unit + ")" : "") + ". " : data.unit ? "Unit: " + data.unit + ". " : "") + "Each point is one figure, over the period its date covers; vertical lines are its bounds, arrows open bounds; hollow: approximate; red: in conflict with another.");
    return true;
  };

  /* Articles by month: a bar per month on a time axis (gaps are months with none); the part
   * that are copies of an earlier story is drawn lighter. */
  ng.drawers.histogram = function (fig, data) {
    const months = data.months || [];
    const notes = [];
    if (data.year_only) notes.push(ng.plural(data.year_only, "article is", "articles are") + " dated to the year only");
    if (data.undated) notes.push(ng.plural(data.undated, "article has", "articles have") + " no date");
    if (!months.length) {
      ng.caption(fig, "No article has a publication month. " + notes.join("; "));
      return false;
    }
    const width = ng.width(fig), height = 170, left = 40, top = 10, bottom = 28;
    let lo = ng.day(months[0].start), hi = ng.day(months[months.length - 1].end);
    if (d3.utcMonth.count(lo, hi) < 12) { lo = d3.utcMonth.offset(lo, -2); hi = d3.utcMonth.offset(hi, 2); }
    const x = d3.scaleUtc().domain([lo, hi]).range([left, width - 12]);
    const y = d3.scaleLinear().domain([0, d3.max(months, function (m) { return m.count; })]).range([height - bottom, top]).nice();
    const svg = ng.svg(fig, width, height, "Articles by month");
    svg.append("g").attr("class", "axis").attr("transform", "translate(" + left + ",0)").call(d3.axisLeft(y).ticks(Math.min(5, y.domain()[1])).tickFormat(d3.format("d")));
    svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - bottom) + ")")
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 100))).tickSizeOuter(0));
    const bar = svg.append("g").attr("class", "bars").selectAll("g").data(months).join("g");
    const bx = function (m) { return x(ng.day(m.start)) + 0.5; }, bw = function (m) { return Math.max(1.5, x(ng.day(m.end)) - x(ng.day(m.start)) - 1); };
    bar.append("rect").attr("class", "bar").attr("x", bx).attr("width", bw)
      .attr("y", function (m) { return y(m.count); }).attr("height", function (m) { return y(0) - y(m.count); });
    bar.filter(function (m) { return m.copies > 0; }).append("rect").attr("class", "bar copies").attr("x", bx).attr("width", bw)
      .attr("y", function (m) { return y(m.copies); }).attr("height", function (m) { return y(0) - y(m.copies); });
    bar.append("title").text(function (m) { return m.label + ": " + ng.plural(m.count, "article", "articles") + (m.copies ? " (" + m.copies + " of them copies of an earlier story)" : ""); });
    ng.caption(fig, "Articles by month of publication; the lighter part of a bar: copies of an earlier story." + (notes.length ? " Not drawn: " + notes.join("; ") + "." : ""));
    return true;
  };
})();
