// barenet's drawing page: draw with Pointer Events (mouse, touch, pen), send the canvas as a PNG
// to POST api/predict while drawing (at most every 150 ms, and at once when the stroke ends),
// show the answer: the digit, the ten probabilities, the 28×28 input and its saliency map.
"use strict";

// ---- every text of the page, one object per language -------------------------------------
// Plain strings fill the elements marked data-i18n (their text) and data-i18n-label (their
// aria-label) in index.html; functions build the texts that carry numbers.

const STRINGS = {
  en: {
    title: "barenet · draw a digit",
    heading: "Draw a digit",
    subtitle: "A neural network written in bare NumPy reads it as you draw.",
    languageGroup: "Language",
    drawingTitle: "Drawing area",
    padLabel: "Drawing area: draw one digit from 0 to 9 with the mouse, a finger or a pen",
    clear: "Clear",
    hint: "Draw one digit, large and centred.",
    escBefore: " ",
    escAfter: " clears.",
    answerTitle: "What the network reads",
    digitLabel: "recognised digit",
    drawDigit: "Draw a digit",
    sure: (p) => `${p} sure`,
    next: (guesses) => `next: ${guesses.map(([name, p]) => `${name} (${p})`).join(", ")}`,
    barsTitle: "Probability of each digit, in %",
    barLabel: (name, p) => `${name}: ${p}`,
    barEmpty: (name) => `${name}: no answer yet`,
    seenLabel: "The 28 by 28 pixel image the network sees",
    seenCaption: "What the network sees (28×28)",
    saliencyToggle: "Saliency overlay",
    saliencyExplain: "Bright pixels are where a change would move the winning digit's score most: its " +
      "gradient, from the network's own backward pass. Border pixels, black in every training " +
      "image, keep their random first weights and light up too.",
    low: "low",
    high: "high",
    modelBefore: "Model ",
    modelAfter: " · runs on this computer, nothing leaves it.",
    noteSeparator: " ",
    serverStatus: (status) => `The server answered ${status}.`,
    unreachable: "Cannot reach the barenet server: is `barenet serve` still running?",
    unreachableModel: "(server not reachable)",
    server: [],  // the server speaks English: its messages are shown as they are
  },
  zh: {
    title: "barenet · 手写数字识别",
    heading: "写一个数字",
    subtitle: "一个只用 NumPy 写成的神经网络，会在你书写的同时认出它。",
    languageGroup: "语言",
    drawingTitle: "书写区",
    padLabel: "书写区：用鼠标、手指或触控笔写一个 0 到 9 的数字",
    clear: "清除",
    hint: "写一个数字，写大一些，写在中间。",
    escBefore: "按 ",
    escAfter: " 清除。",
    answerTitle: "网络认出的结果",
    digitLabel: "认出的数字",
    drawDigit: "请写一个数字",
    sure: (p) => `有 ${p} 的把握`,
    next: (guesses) => `其次：${guesses.map(([name, p]) => `${name}（${p}）`).join("、")}`,
    barsTitle: "每个数字的概率（%）",
    barLabel: (name, p) => `${name}：${p}`,
    barEmpty: (name) => `${name}：还没有结果`,
    seenLabel: "网络看到的 28×28 像素图像",
    seenCaption: "网络看到的图像（28×28）",
    saliencyToggle: "显示显著性图",
    saliencyExplain: "越亮的像素，表示在那里稍作改动，胜出数字的得分变化越大：这就是得分对输入的梯度，" +
      "由网络自己的反向传播算出。图像边框上的像素在每一张训练图像里都是黑的，它们连到第一层的权重" +
      "始终停留在随机初始值，所以也会亮起来。",
    low: "低",
    high: "高",
    modelBefore: "模型 ",
    modelAfter: " · 在你的电脑上运行，数据不会离开这台电脑。",
    noteSeparator: "",
    serverStatus: (status) => `服务器返回了错误 ${status}。`,
    unreachable: "连不上 barenet 服务器：`barenet serve` 还在运行吗？",
    unreachableModel: "（连不上服务器）",
    // The server's English messages that a drawing can bring, in Chinese; any other is shown as is.
    server: [
      [/^draw a digit$/i, () => "请写一个数字"],
      [/^ignored (\d+) small marks? away from the digit$/, (m) => `忽略了数字旁边的 ${m[1]} 处小墨点。`],
      [/^the digit touches the edge of the image/, () => "数字碰到了图像边缘，可能有一部分被截掉了：四周请留些空白。"],
      [/holds only (\d+) pixels? of ink, too few for a digit/,
        (m) => `笔画只有 ${m[1]} 个像素，太少了，认不出数字：请把数字写大一些`],
    ],
  },
};

const LANGUAGES = Object.keys(STRINGS);
const LANGUAGE_KEY = "barenet.language";  // localStorage: the language chosen with the switch

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
let lastAnswer = null;      // re-drawn when the saliency toggle changes or the language
let blank = { key: "drawDigit" };  // what the verdict says with no answer: a STRINGS key, or the
                                   // server's own text; re-said when the language changes
let modelReachable = true;
let language = chooseLanguage();

// ---- language --------------------------------------------------------------------------------

function storedLanguage() {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch (error) {
    return null;  // storage disabled (private window, file policy): fall back on the browser
  }
}

function chooseLanguage() {
  // The switch's last choice; else the first of the browser's preferred languages the page
  // speaks ("zh-CN", "zh-TW", "zh" -> zh; "en-GB" -> en); else English.
  const stored = storedLanguage();
  if (LANGUAGES.includes(stored)) return stored;
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = String(tag || "").toLowerCase().split("-")[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return "en";
}

function t(key, ...args) {
  const text = STRINGS[language][key];
  return typeof text === "function" ? text(...args) : text;
}

function fromServer(text) {
  // A message of the server in the page's language when it is one we know, else as it came.
  for (const [pattern, say] of STRINGS[language].server) {
    const match = pattern.exec(text);
    if (match) return say(match);
  }
  return text;
}

function applyLanguage() {
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll("[data-i18n-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  });
  document.querySelectorAll(".lang button").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.lang === language));
  });
  if (!modelReachable) document.getElementById("model-name").textContent = t("unreachableModel");
  if (lastAnswer) show(lastAnswer);
  else showBlank(blank);
}

document.querySelectorAll(".lang button").forEach((button) => {
  button.addEventListener("click", () => {
    language = button.dataset.lang;
    try {
      localStorage.setItem(LANGUAGE_KEY, language);
    } catch (error) {
      // not remembered, but the page still switches
    }
    applyLanguage();
  });
});

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
  showBlank({ key: "drawDigit" });
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
      showBlank(answer.error ? { text: answer.error, isError: true }
        : { key: "serverStatus", args: [response.status], isError: true });
    } else if (answer.digit === null) {
      showBlank(answer.message ? { text: answer.message } : { key: "drawDigit" });
    } else {
      show(answer);
    }
  } catch (error) {
    if (asked === generation) showBlank({ key: "unreachable", isError: true });
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
    li.setAttribute("aria-label", probabilities ? t("barLabel", classNames[k], percent(p)) : t("barEmpty", classNames[k]));
  });
}

function showBlank(message) {
  // message: { key, args } of STRINGS, or { text } from the server; isError: shown in red.
  lastAnswer = null;
  blank = message;
  digitEl.textContent = "?";
  digitEl.classList.add("empty");
  confidenceEl.textContent = message.key ? t(message.key, ...(message.args || [])) : fromServer(message.text);
  confidenceEl.classList.toggle("error", Boolean(message.isError));
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
  confidenceEl.textContent = t("sure", percent(probabilities[winner]));
  confidenceEl.classList.remove("error");
  const guesses = order.slice(1, 3).map((k) => [classNames[k], percent(probabilities[k])]);
  runnerUpEl.textContent = guesses.length ? t("next", guesses) : "";
  setBars(probabilities, winner);
  drawSeen(answer.input, saliencyBox.checked ? answer.saliency : null);
  notesEl.textContent = (answer.notes || []).map(fromServer).join(t("noteSeparator"));
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
  applyLanguage();
  try {
    const health = await (await fetch("api/health")).json();
    document.getElementById("model-name").textContent = health.model;
    if (Array.isArray(health.class_names) && health.class_names.length) {
      classNames = health.class_names;
      buildBars();
    }
  } catch (error) {
    modelReachable = false;
    document.getElementById("model-name").textContent = t("unreachableModel");
  }
}

start();
