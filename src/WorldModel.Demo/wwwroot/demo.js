"use strict";
const world = document.getElementById("world"), ctx = world.getContext("2d");
const costCanvas = document.getElementById("costs"), costCtx = costCanvas.getContext("2d");
const frameImage = new Image();
let state = null, lastVersion = -1, dragging = false, dragPos = null;
// The two-level box's value as ticked, until a snapshot shows the server took it: one polled in between still
// holds the old setting and would untick the box under the user's (or a test's) click.
let twoLevelAsked = null;
// Counters the browser test reads: how often the page redrew and what it drew.
window.demoStats = { updates: 0, pathsDrawn: 0, candidatesDrawn: 0, costsDrawn: 0, imaginedShown: 0, subgoalsDrawn: 0, heatmapsDrawn: 0 };

const scale = () => world.width / 64;               // the arena is 64 × 64 world units
const toCanvas = (x, y) => [x * scale(), y * scale()];
const toWorld = (ev) => { const r = world.getBoundingClientRect(); return [(ev.clientX - r.left) / r.width * 64, (ev.clientY - r.top) / r.height * 64]; };

async function post(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });
  const data = await res.json().catch(() => ({}));
  document.getElementById("error").textContent = res.ok ? "" : (data.error || `request failed (${res.status})`);
  return res.ok;
}

function polyline(points, colour, width, alpha) {
  if (!points || points.length < 4) return false;
  ctx.save(); ctx.globalAlpha = alpha; ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.lineJoin = "round"; ctx.lineCap = "round";
  ctx.beginPath();
  for (let i = 0; i < points.length; i += 2) { const [x, y] = toCanvas(points[i], points[i + 1]); i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y); }
  ctx.stroke(); ctx.restore();
  return true;
}

// The high level's plan: a dashed line from the agent through its expected position after each jump, a hollow
// diamond at each; the one the low level aims at (the first) is filled, unless it aims at the goal itself.
function drawSubgoals(points, aimAtGoal) {
  if (!points || points.length < 2) return false;
  ctx.save(); ctx.strokeStyle = "#e040fb"; ctx.fillStyle = "#e040fb"; ctx.lineWidth = 2; ctx.setLineDash([8, 6]);
  ctx.beginPath(); ctx.moveTo(...toCanvas(state.agent[0], state.agent[1]));
  for (let i = 0; i < points.length; i += 2) ctx.lineTo(...toCanvas(points[i], points[i + 1]));
  ctx.stroke(); ctx.setLineDash([]); ctx.lineWidth = 3;
  for (let i = points.length - 2; i >= 0; i -= 2) {
    const [x, y] = toCanvas(points[i], points[i + 1]), r = 9;
    ctx.beginPath(); ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath();
    if (i === 0 && !aimAtGoal) ctx.fill(); else { ctx.fillStyle = "rgba(255,255,255,.6)"; ctx.fill(); ctx.fillStyle = "#e040fb"; }
    ctx.stroke();
  }
  ctx.restore();
  return true;
}

// Explore mode: each free cell tinted by its novelty, blue (like what was visited) to red (new).
function drawHeatmap(h) {
  if (!h || !h.cells) return false;
  const lo = state.arena[0], px = h.cellSize * scale();
  ctx.save();
  for (let r = 0; r < h.cells; r++)
    for (let c = 0; c < h.cells; c++) {
      const v = h.novelty[r * h.cells + c];
      if (v < 0) continue;
      ctx.fillStyle = `hsla(${(1 - v) * 240}, 90%, 50%, 0.4)`;
      const [x, y] = toCanvas(lo + c * h.cellSize, lo + r * h.cellSize);
      ctx.fillRect(x, y, px, px);
    }
  ctx.restore();
  return true;
}

function draw() {
  if (!state) return;
  ctx.imageSmoothingEnabled = false;
  if (frameImage.complete && frameImage.naturalWidth) ctx.drawImage(frameImage, 0, 0, world.width, world.height);
  if (drawHeatmap(state.explore)) window.demoStats.heatmapsDrawn++;
  let drewCandidates = false;
  for (const c of state.candidates) drewCandidates = polyline(c, "#7fb3ff", 2, 0.35) || drewCandidates;
  if (drewCandidates) window.demoStats.candidatesDrawn++;
  polyline(state.trail, "#ff8a65", 3, 0.9);
  if (polyline(state.plannedPath, "#ffd23f", 5, 0.95)) {
    window.demoStats.pathsDrawn++;
    const n = state.plannedPath.length;
    const [ex, ey] = toCanvas(state.plannedPath[n - 2], state.plannedPath[n - 1]);
    ctx.fillStyle = "#ffd23f"; ctx.beginPath(); ctx.arc(ex, ey, 6, 0, 2 * Math.PI); ctx.fill();
  }
  if (drawSubgoals(state.subgoals, state.aimAtGoal)) window.demoStats.subgoalsDrawn++;
  const [ax, ay] = toCanvas(state.agent[0], state.agent[1]);   // the agent on top of the overlays
  ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(ax, ay, 9, 0, 2 * Math.PI); ctx.stroke();
  const [gx, gy] = toCanvas(state.goal[0], state.goal[1]);
  ctx.strokeStyle = "#18a558"; ctx.lineWidth = 4;
  ctx.beginPath(); ctx.arc(gx, gy, state.successRadius * scale() + 4, 0, 2 * Math.PI); ctx.stroke();
  ctx.beginPath(); ctx.moveTo(gx - 8, gy); ctx.lineTo(gx + 8, gy); ctx.moveTo(gx, gy - 8); ctx.lineTo(gx, gy + 8); ctx.stroke();
  if (state.subgoals.length && state.aimAtGoal) {   // two levels, and the low level aims at the goal itself
    ctx.strokeStyle = "#e040fb"; ctx.lineWidth = 3;
    ctx.beginPath(); ctx.arc(gx, gy, state.successRadius * scale() + 10, 0, 2 * Math.PI); ctx.stroke();
  }
  if (dragging && dragPos) {
    const [dx, dy] = toCanvas(dragPos[0], dragPos[1]);
    ctx.strokeStyle = "#ff5a3c"; ctx.setLineDash([6, 4]); ctx.beginPath(); ctx.arc(dx, dy, 12, 0, 2 * Math.PI); ctx.stroke(); ctx.setLineDash([]);
  }
}

function drawCosts(costs, means) {
  const w = costCanvas.width, h = costCanvas.height;
  costCtx.clearRect(0, 0, w, h);
  costCtx.fillStyle = "#5b6475"; costCtx.font = "14px DejaVu Sans, sans-serif";
  if (!costs || costs.length === 0) { costCtx.fillText("no plan yet", 10, 20); return; }
  const all = costs.concat(means || []).filter(Number.isFinite);
  const max = Math.max(...all), min = Math.min(...all), span = (max - min) || 1;
  const x = (i) => 60 + (costs.length === 1 ? 0 : i / (costs.length - 1)) * (w - 90);
  const y = (v) => 15 + (1 - (v - min) / span) * (h - 40);
  const line = (values, colour, width) => {
    costCtx.strokeStyle = colour; costCtx.fillStyle = colour; costCtx.lineWidth = width; costCtx.beginPath();
    values.forEach((v, i) => i === 0 ? costCtx.moveTo(x(i), y(v)) : costCtx.lineTo(x(i), y(v)));
    costCtx.stroke();
    values.forEach((v, i) => { costCtx.beginPath(); costCtx.arc(x(i), y(v), 4, 0, 2 * Math.PI); costCtx.fill(); });
  };
  if (means && means.length) line(means, "#a9b8d6", 2);
  line(costs, "#2f6fde", 3);
  costCtx.fillStyle = "#5b6475";
  costCtx.fillText(max.toPrecision(3), 2, 20); costCtx.fillText(min.toPrecision(3), 2, h - 22);
  costCtx.fillText("iteration →", w - 90, h - 4);
  costCtx.fillStyle = "#2f6fde"; costCtx.fillText("best", 60, h - 4);
  costCtx.fillStyle = "#8a9ab8"; costCtx.fillText("mean of samples", 110, h - 4);
  window.demoStats.costsDrawn++;
}

function showFrames(s) {
  const box = document.getElementById("frames");
  if (!s.realFrame) { if (!box.dataset.empty) { box.innerHTML = "<small>no pixel model loaded, or no plan yet</small>"; box.dataset.empty = "1"; } return; }
  delete box.dataset.empty;
  const items = [`<figure><img src="${s.realFrame}" alt="real frame now"><figcaption>real, now</figcaption></figure>`]
    .concat(s.imagined.map(f => `<figure><img src="${f.png}" alt="imagined ${f.ahead} steps ahead"><figcaption>imagined +${f.ahead}</figcaption></figure>`));
  box.innerHTML = items.join("");
  window.demoStats.imaginedShown++;
}

function syncControls(s) {
  const model = document.getElementById("model");
  if (model.options.length !== s.models.length) model.innerHTML = s.models.map(m => `<option value="${m}">${m}</option>`).join("");
  for (const [id, value] of [["mode", s.settings.mode], ["model", s.settings.model], ["planner", s.settings.planner], ["horizon", s.settings.plannerHorizon], ["samples", s.settings.samples]]) {
    const el = document.getElementById(id);
    if (document.activeElement !== el) el.value = value;
  }
  const two = document.getElementById("twoLevel"), canTwo = s.twoLevelModels.includes(s.settings.model);
  if (twoLevelAsked === s.settings.twoLevel) twoLevelAsked = null;
  two.checked = twoLevelAsked ?? s.settings.twoLevel; two.disabled = !canTwo;
  document.getElementById("twoLevelLabel").className = canTwo ? "" : "disabled";
  document.getElementById("twoLevelLabel").title = canTwo
    ? "A high level plans jumps of k steps, the horizon ahead; the low level plans toward the first jump"
    : `no high level loaded for ${s.settings.model}; two levels: ${s.twoLevelModels.join(", ")}`;
}

function update(s) {
  state = s;
  document.getElementById("step").textContent = s.step;
  document.getElementById("budget").textContent = s.budget;
  document.getElementById("distance").textContent = s.distance.toFixed(1) + " px";
  const st = document.getElementById("statusText");
  st.textContent = s.status; st.className = s.status.replace(/ /g, "");
  document.getElementById("planMs").textContent = s.planMilliseconds ? s.planMilliseconds.toFixed(0) + " ms" : "–";
  document.getElementById("message").textContent = s.message;
  document.getElementById("why").textContent = s.explore ? (s.explore.why || "exploring") : "";
  document.querySelector("#pathSource small").textContent = s.pathSource ? "Planned path from: " + s.pathSource : "";
  const jumps = s.subgoals.length / 2;
  document.querySelector("#aim small").textContent = !jumps ? "" : s.aimAtGoal
    ? `Two levels: the goal is within a jump, so the low level aims at it (${jumps} jumps planned)`
    : `Two levels: the low level aims at the filled subgoal, the first of ${jumps} jumps`;
  syncControls(s);
  drawCosts(s.costPerIteration, s.meanCostPerIteration);
  showFrames(s);
  frameImage.onload = draw;
  frameImage.src = s.frame;
  window.demoStats.updates++;
}

async function poll() {
  try {
    const res = await fetch("/api/state", { cache: "no-store" });
    if (res.ok) { const s = await res.json(); if (s.version !== lastVersion) { lastVersion = s.version; update(s); } }
  } catch (e) { document.getElementById("error").textContent = "lost the server: " + e; }
  setTimeout(poll, 50);
}

world.addEventListener("pointerdown", ev => {
  if (!state) return;
  const [x, y] = toWorld(ev);
  if (Math.hypot(x - state.agent[0], y - state.agent[1]) < 3.5) { dragging = true; dragPos = [x, y]; world.setPointerCapture(ev.pointerId); }
});
world.addEventListener("pointermove", ev => { if (dragging) { dragPos = toWorld(ev); draw(); } });
world.addEventListener("pointerup", async ev => {
  const [x, y] = toWorld(ev);
  if (dragging) { dragging = false; dragPos = null; await post("/api/agent", { x, y }); }
  else await post("/api/goal", { x, y });
});
for (const [id, path] of [["run", "/api/run"], ["step1", "/api/step"], ["pause", "/api/pause"], ["reset", "/api/reset"], ["layout", "/api/layout"], ["firstLayout", "/api/layout/first"]])
  document.getElementById(id).addEventListener("click", () => post(path));
for (const id of ["mode", "planner", "horizon", "samples"])
  document.getElementById(id).addEventListener("change", ev => {
    const v = ev.target.type === "number" ? Number(ev.target.value) : ev.target.value;
    post("/api/settings", { [id]: v });
  });
// A model with no high level plans flat: switching to one turns two levels off in the same request.
document.getElementById("model").addEventListener("change", ev => {
  const m = ev.target.value, two = document.getElementById("twoLevel").checked;
  post("/api/settings", two && state && !state.twoLevelModels.includes(m) ? { model: m, twoLevel: false } : { model: m });
});
document.getElementById("twoLevel").addEventListener("change", async ev => {
  twoLevelAsked = ev.target.checked;
  let ok = false;
  try { ok = await post("/api/settings", { twoLevel: twoLevelAsked }); } finally { if (!ok) twoLevelAsked = null; }
});
poll();
