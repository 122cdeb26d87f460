/* newsgraph: draws the pages' maps, timelines, networks and charts.
 *
 * Each `<div class="viz" data-viz="KIND" data-src="/api/viz/...">` holds a server-rendered
 * fallback (a table or a list). This script loads the drawing code and its libraries (d3,
 * topojson-client, Natural Earth outlines from world-atlas: all copied from npm into
 * /static/vendor at install time, so nothing comes from the network), fetches the JSON at
 * data-src and draws an SVG above the fallback, which stays on the page, folded, as a table.
 * The Content-Security-Policy allows no inline script or style: everything here is loaded from
 * /static, text goes in with textContent, and colours come from classes in viz.css or SVG
 * presentation attributes.
 *
 * When a drawing is done, its container gets data-drawn="yes" (or "empty" when there was
 * nothing to draw, "error" when it failed, with a message shown): the browser tests wait on it.
 */
(function () {
  "use strict";

  const STATIC = "/static/";
  const KINDS = {
    map: ["vendor/topojson-client.min.js", "viz/map.js"],
    timeline: ["viz/timeline.js"],
    network: ["viz/network.js"],
    chart: ["viz/chart.js"],
    histogram: ["viz/chart.js"],
  };
  const loaded = new Map();

  function loadScript(path) {
    if (!loaded.has(path)) {
      loaded.set(path, new Promise(function (resolve, reject) {
        const s = document.createElement("script");
        s.src = STATIC + path;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("could not load " + STATIC + path)); };
        document.head.appendChild(s);
      }));
    }
    return loaded.get(path);
  }

  function loadStyle(path) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STATIC + path;
    document.head.appendChild(link);
  }

  /* Shared by the drawing modules (window.newsgraph). */
  const ng = {
    drawers: {},
    /* A Date at midnight UTC from "2019-03-05". */
    day: function (iso) { return new Date(iso + "T00:00:00Z"); },
    /* Width in pixels the figure can take. */
    width: function (fig) { return Math.max(320, Math.floor(fig.getBoundingClientRect().width || 800)); },
    svg: function (fig, width, height, label) {
      return d3.select(fig).append("svg")
        .attr("viewBox", "0 0 " + width + " " + height)
        .attr("width", width).attr("height", height)
        .attr("role", "img").attr("aria-label", label);
    },
    caption: function (fig, text) {
      let cap = fig.querySelector("figcaption");
      if (!cap) { cap = document.createElement("figcaption"); fig.appendChild(cap); }
      const p = document.createElement("p");
      p.textContent = text;
      cap.appendChild(p);
    },
    plural: function (n, one, many) { return n + " " + (n === 1 ? one : many); },
    /* A link in SVG that opens `href` (the sentence or entity behind a mark). */
    link: function (sel, href) { return sel.append("a").attr("href", href); },
    world: null,
    loadWorld: function () {
      if (!ng.world) {
        ng.world = fetch(STATIC + "vendor/countries-50m.json").then(function (r) {
          if (!r.ok) throw new Error("country outlines missing (" + r.status + "): run make install");
          return r.json();
        });
      }
      return ng.world;
    },
  };
  window.newsgraph = ng;

  function foldFallback(box) {
    const parts = Array.from(box.children).filter(function (el) { return el.classList.contains("fallback"); });
    if (!parts.length) return;
    const details = document.createElement("details");
    details.className = "viz-table";
    const summary = document.createElement("summary");
    summary.textContent = "The same as a table";
    details.appendChild(summary);
    parts.forEach(function (el) { details.appendChild(el); });
    box.appendChild(details);
  }

  async function draw(box) {
    const kind = box.dataset.viz;
    if (!KINDS[kind]) throw new Error("unknown drawing kind " + JSON.stringify(kind));
    for (const path of KINDS[kind]) await loadScript(path);
    const resp = await fetch(box.dataset.src, { headers: { Accept: "application/json" } });
    if (!resp.ok) throw new Error(box.dataset.src + " answered " + resp.status);
    const data = await resp.json();
    const fig = document.createElement("figure");
    fig.className = "viz-figure viz-" + kind;
    box.insertBefore(fig, box.firstChild);
    const drawn = await ng.drawers[kind](fig, data, box);
    if (drawn) foldFallback(box);
    box.dataset.drawn = drawn ? "yes" : "empty";
  }

  async function main() {
    const boxes = Array.from(document.querySelectorAll(".viz[data-viz][data-src]"));
    if (!boxes.length) return;
    loadStyle("viz.css");
    try {
      await loadScript("vendor/d3.min.js");
    } catch (err) {
      boxes.forEach(function (box) { fail(box, err); });
      return;
    }
    await Promise.all(boxes.map(function (box) {
      return draw(box).catch(function (err) { fail(box, err); });
    }));
  }

  function fail(box, err) {
    box.dataset.drawn = "error";
    const p = document.createElement("p");
    p.className = "viz-error";
    p.textContent = "The drawing could not be made (" + err.message + "); the table below has the same facts.";
    box.insertBefore(p, box.firstChild);
    console.error("newsgraph drawing " + (box.dataset.viz || "?") + ":", err);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
