// barenet's drawing page: draw with Pointer Events (mouse, touch, pen), send the canvas as a PNG
// to POST api/predict while drawing (at most every 150 ms, and at once when the stroke ends),
// show the answer: the digit, the ten probabilities, the 28×28 input and its saliency map.
"use strict";

const STROKE = 22;          // pen width in canvas pixels (the canvas is 280×280): a thick marker
const INTERVAL_MS = 150;    // at most one request per interval while drawing

const pad = document.getElementById("pad");
const ctx = pad.getContext("2d");
const seen = document.getElementById("seen");
const seenCtx = seen.getContext("2d");
const digitEl = document.getElementById("digit");
const confidenceEl = document.getElementById("confidence");
const runnerUpEl = document.getElementById("runner-up");
const barsEl = document.getElementById("bars");
const notesEl = document.getElementById("notes");
const saliencyBox = document.getElementById("saliency");

let classNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
let drawn = false;          // anything on the canvas since the last clear?
let activePointer = null;   // the pointer drawing now (a second finger is ignored)
let last = null;            // the previous point of the stroke, in canvas pixels
let timer = null;           // pending request while drawing
let inFlight = false;       // one request at a time...
let again = false;          // ...and one more once it returns, if the drawing changed meanwhile
let generation = 0;         // bumped by Clear: answers about an older drawing are dropped
let lastAnswer = null;      // re-drawn when the saliency toggle changes

// ---- drawing -------------------------------------------------------------------------------

function resetPad() {
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, pad.width, pad.height);
  ctx.strokeStyle = "#fff";
  ctx.fillStyle = "#fff";
  ctx.lineWidth = STROKE;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
}

function canvasPoint(event) {
  const rect = pad.getBoundingClientRect();
  return {
    x: ((event.clientX - rect.left) * pad.width) / rect.width,
    y: ((event.clientY - rect.top) * pad.height) / rect.height,
  };
}

function dot(p) {
  ctx.beginPath();
  ctx.arc(p.x, p.y, STROKE / 2, 0, 2 * Math.PI);
  ctx.fill();
}

function segment(a, b) {
  ctx.beginPath();
  ctx.moveTo(a.x, a.y);
  ctx.lineTo(b.x, b.y);
  ctx.stroke();
}

pad.addEventListener("pointerdown", (event) => {
  if (activePointer !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
  event.preventDefault();
  activePointer = event.pointerId;
  pad.setPointerCapture(event.pointerId);
  last = canvasPoint(event);
  dot(last);
  drawn = true;
  soon();
});

pad.addEventListener("pointermove", (event) => {
  if (event.pointerId !== activePointer) return;
  event.preventDefault();
  const coalesced = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const e of coalesced.length ? coalesced : [event]) {
    const p = canvasPoint(e);
    segment(last, p);
    last = p;
  }
  soon();
});

function endStroke(event) {
  if (event.pointerId !== activePointer) return;
  activePointer = null;
  last = null;
  now();
}
pad.addEventListener("pointerup", endStroke);
pad.addEventListener("pointercancel", endStroke);

function clearAll() {
  generation += 1;
  clearTimeout(timer);
  timer = null;
  again = false;
  drawn = false;
  activePointer = null;
  resetPad();
  showBlank("Draw a digit");
  pad.focus({ preventScroll: true });
}
document.getElementById("clear").addEventListener("click", clearAll);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") clearAll();
});

// ---- requests ------------------------------------------------------------------------------

function soon() {
  // While drawing: a request at most every INTERVAL_MS (the first one INTERVAL_MS after the pen
  // touched down), so the answer follows the pen without a request per mouse event.
  if (timer === null) timer = setTimeout(now, INTERVAL_MS);
}

async function now() {
  clearTimeout(timer);
  timer = null;
  if (!drawn) return;
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  const asked = generation;
  try {
    const response = await fetch("api/predict", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ image: pad.toDataURL("image/png") }),
    });
    const answer = await response.json();
    if (asked !== generation) return;  // cleared meanwhile
    if (!response.ok) {
      showBlank(answer.error || `The server answered ${response.status}.`, true);
    } else if (answer.digit === null) {
      showBlank(answer.message || "Draw a digit");
    } else {
      show(answer);
    }
  } catch (error) {
    if (asked === generation) showBlank("Cannot reach the barenet server: is `barenet serve` still running?", true);
  } finally {
    inFlight = false;
    if (again) {
      again = false;
      now();
    }
  }
}

// ---- showing the answer --------------------------------------------------------------------

function percent(p) {
  if (p >= 0.9995) return "100%";
  if (p < 0.001) return "<0.1%";
  return `${(100 * p).toFixed(p >= 0.1 ? 0 : 1)}%`;
}

function barLabel(p) {
  // Above a bar: whole percents, nothing below 1% (the bar itself says "almost nothing").
  return p >= 0.995 ? "100" : p >= 0.01 ? `${Math.round(100 * p)}` : "";
}

function buildBars() {
  barsEl.replaceChildren();
  barsEl.style.setProperty("--classes", String(classNames.length));
  for (const name of classNames) {
    const li = document.createElement("li");
    li.innerHTML = '<span class="pct"></span><span class="track"><span class="fill"></span></span>' +
      '<span class="label"></span>';
    li.querySelector(".label").textContent = name;
    li.querySelector(".label").title = name;  // class names longer than a digit are cut short
    barsEl.append(li);
  }
  setBars(null);
}

function setBars(probabilities, winner = -1) {
  barsEl.querySelectorAll("li").forEach((li, k) => {
    const p = probabilities ? probabilities[k] : 0;
    li.querySelector(".fill").style.height = `${(100 * p).toFixed(1)}%`;
    li.querySelector(".pct").textContent = probabilities ? barLabel(p) : "";
    li.classList.toggle("win", k === winner);
    li.setAttribute("aria-label", probabilities ? `${classNames[k]}: ${percent(p)}` : `${classNames[k]}: no answer yet`);
  });
}

function showBlank(message, isError = false) {
  lastAnswer = null;
  digitEl.textContent = "?";
  digitEl.classList.add("empty");
  confidenceEl.textContent = message;
  confidenceEl.classList.toggle("error", isError);
  runnerUpEl.textContent = "";
  notesEl.textContent = "";
  setBars(null);
  seenCtx.fillStyle = "#000";
  seenCtx.fillRect(0, 0, seen.width, seen.height);
}

function show(answer) {
  lastAnswer = answer;
  if (answer.class_names && answer.class_names.length !== classNames.length) {
    classNames = answer.class_names;
    buildBars();
  }
  const probabilities = answer.probabilities;
  const order = probabilities.map((p, k) => k).sort((a, b) => probabilities[b] - probabilities[a]);
  const winner = order[0];
  digitEl.textContent = answer.digit;
  digitEl.classList.remove("empty");
  digitEl.classList.toggle("long", answer.digit.length > 2);  // e.g. Fashion-MNIST's "Sneaker"
  confidenceEl.textContent = `${percent(probabilities[winner])} sure`;
  confidenceEl.classList.remove("error");
  runnerUpEl.textContent = order.length > 1
    ? `next: ${classNames[order[1]]} (${percent(probabilities[order[1]])})` +
      (order.length > 2 ? `, ${classNames[order[2]]} (${percent(probabilities[order[2]])})` : "")
    : "";
  setBars(probabilities, winner);
  drawSeen(answer.input, saliencyBox.checked ? answer.saliency : null);
  notesEl.textContent = (answer.notes || []).join(" ");
}

function heat(s) {
  // Saliency s in [0, 1] -> an overlay colour (red → orange → yellow) and its opacity. The
  // opacity grows as s², so the strongest pixels stand out and the digit stays visible under the
  // many weak ones (a plain gradient map of an MLP is noisy).
  return [255, Math.round(40 + 215 * s), Math.round(80 * Math.max(0, s - 0.6) / 0.4), Math.min(0.9, 1.2 * s * s)];
}

function drawSeen(input, saliency) {
  const image = seenCtx.createImageData(28, 28);
  const d = image.data;
  for (let i = 0; i < 28; i += 1) {
    for (let j = 0; j < 28; j += 1) {
      const v = 255 * input[i][j];
      let r = v, g = v, b = v;
      if (saliency) {
        const [hr, hg, hb, a] = heat(saliency[i][j]);
        r = r * (1 - a) + hr * a;
        g = g * (1 - a) + hg * a;
        b = b * (1 - a) + hb * a;
      }
      const o = 4 * (28 * i + j);
      d[o] = r;
      d[o + 1] = g;
      d[o + 2] = b;
      d[o + 3] = 255;
    }
  }
  seenCtx.putImageData(image, 0, 0);
}

saliencyBox.addEventListener("change", () => {
  if (lastAnswer) drawSeen(lastAnswer.input, saliencyBox.checked ? lastAnswer.saliency : null);
});

// ---- start ---------------------------------------------------------------------------------

async function start() {
  resetPad();
  buildBars();
  showBlank("Draw a digit");
  try {
    const health = await (await fetch("api/health")).json();
    document.getElementById("model-name").textContent = health.model;
    if (Array.isArray(health.class_names) && health.class_names.length) {
      classNames = health.class_names;
      buildBars();
    }
  } catch (error) {
    document.getElementById("model-name").textContent = "(server not reachable)";
  }
}

start();
