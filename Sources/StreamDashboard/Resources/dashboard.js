// The dashboard page: panels drawn as SVG from /api/events (Server-Sent Events), SQL from /api/sql.
// Text from the stream is only ever set with textContent: it renders as text, never as HTML.
"use strict";
const SVG = "http://www.w3.org/2000/svg";
const panels = document.getElementById("panels");
const connection = document.getElementById("connection");

function element(name, attributes, text) {
  const node = name.startsWith("svg:") ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function section(panel) {
  let node = document.getElementById("panel-" + panel.id);
  if (!node) {
    node = element("section", { id: "panel-" + panel.id, "data-kind": panel.kind });
    node.append(element("h2", {}, panel.title), element("div", { class: "meta" }), element("div", { class: "body" }));
    panels.append(node);
  }
  return node;
}

function bars(data) {
  const width = 400, row = 24, labelWidth = 150;
  const svg = element("svg:svg", { width, height: Math.max(row, data.length * row), role: "img" });
  const max = Math.max(1, ...data.map(([, value]) => value));
  data.forEach(([label, value], i) => {
    const g = element("svg:g", { class: "bar-row", "data-label": label, "data-value": value });
    const length = Math.max(1, (width - labelWidth - 50) * value / max);
    g.append(
      element("svg:text", { x: labelWidth - 6, y: i * row + 16, "text-anchor": "end", class: "label" }, label),
      element("svg:rect", { class: "bar", x: labelWidth, y: i * row + 4, width: length, height: row - 8 }),
      element("svg:text", { x: labelWidth + length + 6, y: i * row + 16, class: "value" }, String(value)));
    svg.append(g);
  });
  return svg;
}

function timeline(data) {
  const width = 400, height = 140, pad = 28;
  const svg = element("svg:svg", { width, height, role: "img" });
  if (data.length === 0) return svg;
  const values = data.map(([, value]) => value);
  const low = Math.min(0, ...values), high = Math.max(...values, low + 1e-9);
  const x = i => pad + (width - 2 * pad) * (data.length === 1 ? 1 : i / (data.length - 1));
  const y = v => height - pad - (height - 2 * pad) * (v - low) / (high - low);
  svg.append(element("svg:polyline", { points: data.map(([, v], i) => `${x(i)},${y(v)}`).join(" ") }));
  svg.append(element("svg:text", { x: 2, y: pad - 8 }, String(+high.toFixed(4))));
  svg.append(element("svg:text", { x: 2, y: height - 6 }, String(+low.toFixed(4))));
  svg.append(element("svg:text", { x: width - pad, y: y(values[values.length - 1]) - 6, "text-anchor": "end", class: "last" },
    String(+values[values.length - 1].toFixed(4))));
  return svg;
}

function lines(data) {
  const box = element("div", { class: "lines" });
  for (const line of data) box.append(element("p", {}, line));
  return box;
}

function render(panel) {
  const node = section(panel);
  node.querySelector(".meta").textContent = `batch ${panel.batch} · ${new Date(panel.time).toLocaleTimeString()}`;
  const body = node.querySelector(".body");
  body.replaceChildren(panel.kind === "bars" ? bars(panel.data) : panel.kind === "timeline" ? timeline(panel.data) : lines(panel.data));
  node.dataset.batch = panel.batch;
}

function connect() {
  const events = new EventSource("/api/events");
  events.onopen = () => { connection.textContent = "live"; connection.className = "live"; };
  events.onmessage = message => render(JSON.parse(message.data));
  events.onerror = () => { connection.textContent = "reconnecting…"; connection.className = "reconnecting"; };
}

document.getElementById("sql-form").addEventListener("submit", async event => {
  event.preventDefault();
  const query = document.getElementById("sql-query").value;
  const error = document.getElementById("sql-error"), table = document.getElementById("sql-result");
  error.textContent = "";
  table.replaceChildren();
  try {
    const response = await fetch("/api/sql?q=" + encodeURIComponent(query));
    const answer = await response.json();
    if (!response.ok) { error.textContent = answer.error; return; }
    const head = element("tr");
    for (const column of answer.columns) head.append(element("th", {}, column));
    table.append(head);
    for (const row of answer.rows) {
      const tr = element("tr");
      for (const cell of row) tr.append(element("td", {}, cell === null ? "NULL" : String(cell)));
      table.append(tr);
    }
  } catch (failure) {
    error.textContent = String(failure);
  }
});

connect();
