// The in-page network: draw a digit, watch barenet's network read it, forward and backward.
//
// Drawing: white ink on a black 280×280 canvas, as the drawing page of `barenet serve`.
// Preprocessing, the MNIST way (barenet.digits.normalise): the ink's bounding box, fitted into
// 20×20 keeping its aspect ratio (each output pixel the average of the ink it covers), pasted
// into 28×28 with its centre of mass at (14, 14) by a whole-pixel shift.
// Then network.js computes every layer's output and, for the chosen class (the winner unless the
// reader picks another bar), the gradient of its score with respect to every layer's output and
// to the pixels; each is drawn as a picture: grey for values ≥ 0 (ReLU's outputs), orange for
// positive and blue for negative where signs matter (scores and gradients).
"use strict";

(function () {
  const root = document.getElementById("barenet-demo");
  if (!root || !window.BARENET_NETWORK) return;
  const zh = (document.documentElement.lang || "").toLowerCase().startsWith("zh");
  const TEXT = zh ? {
    prompt: "在左边的黑框里写一个数字（0–9）。",
    reads: (label, p) => `网络读作 ${label}（${p}）`,
    chosen: (label) => `类别 ${label} 的得分 s 对每一层输出的梯度`,
    layer: (i, name, n) => `第 ${i} 层 · ${name} · ${n} 个值`,
    grad: (i, name) => `∂s/∂（第 ${i} 层 ${name} 的输出）`,
    input: "网络看到的 28×28 输入",
    pixels: "∂s/∂像素（有正负）",
    saliency: "显著图 |∂s/∂像素|",
    range: (lo, hi) => `范围 ${lo} … ${hi}`,
    about: (a) => `网络：${a.model}，${a.parameters.toLocaleString("zh-CN")} 个参数，${a.dtype} 权重` +
      (a.metrics.test_accuracy ? `，在 MNIST 测试集上的准确率 ${(100 * a.metrics.test_accuracy).toFixed(2)}%` : "") + "。",
  } : {
    prompt: "Draw a digit (0–9) in the black box on the left.",
    reads: (label, p) => `The network reads ${label} (${p})`,
    chosen: (label) => `the gradient of class ${label}'s score s with respect to each layer's output`,
    layer: (i, name, n) => `layer ${i} · ${name} · ${n} values`,
    grad: (i, name) => `∂s/∂(output of layer ${i}, ${name})`,
    input: "the 28×28 input the network sees",
    pixels: "∂s/∂pixel (signed)",
    saliency: "saliency |∂s/∂pixel|",
    range: (lo, hi) => `range ${lo} … ${hi}`,
    about: (a) => `The network: ${a.model}, ${a.parameters.toLocaleString("en")} parameters, ${a.dtype} weights` +
      (a.metrics.test_accuracy ? `, ${(100 * a.metrics.test_accuracy).toFixed(2)} % accurate on MNIST's test set` : "") + ".",
  };

  // Chinese typography puts no space before %; the project's English does.
  const percent = (p) => `${(100 * p).toFixed(1)}${zh ? "%" : " %"}`;
  const net = BarenetNetwork.load(window.BARENET_NETWORK);
  const SIDE = 28, BOX = 20, STROKE = 22;
  const pad = root.querySelector("#barenet-pad");
  const ctx = pad.getContext("2d", { willReadFrequently: true });
  const status = root.querySelector("#barenet-status");
  const bars = root.querySelector("#barenet-bars");
  const forwardBox = root.querySelector("#barenet-forward");
  const backwardBox = root.querySelector("#barenet-backward");
  const backwardTitle = root.querySelector("#barenet-backward-title");
  let chosen = null; // the class the reader picked, or null: the winner
  let last = null, pointer = null, pending = false, drawn = false;

  // ---- pictures ----------------------------------------------------------------------------

  function gridShape(n) {
    if (n === SIDE * SIDE) return [SIDE, SIDE];
    if (n <= 20) return [1, n];
    const cols = Math.ceil(Math.sqrt(2 * n));
    return [Math.ceil(n / cols), cols];
  }

  function colour(v, scale, signed) {
    const t = scale > 0 ? Math.min(Math.abs(v) / scale, 1) : 0;
    if (!signed) { const g = Math.round(255 * t); return [g, g, g]; }
    return v >= 0 ? [Math.round(255 * t), Math.round(140 * t), 0] : [0, Math.round(120 * t), Math.round(255 * t)];
  }

  function paint(canvas, values, signed) {
    const [rows, cols] = gridShape(values.length);
    canvas.width = cols; canvas.height = rows;
    const g = canvas.getContext("2d");
    const image = g.createImageData(cols, rows);
    let scale = 0;
    for (const v of values) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < rows * cols; i++) {
      const [r, gr, b] = i < values.length ? colour(values[i], scale, signed) : [40, 40, 40];
      image.data.set([r, gr, b, 255], 4 * i);
    }
    g.putImageData(image, 0, 0);
  }

  function figure(box, key, caption) {
    let fig = box.querySelector(`[data-key="${key}"]`);
    if (!fig) {
      fig = document.createElement("figure");
      fig.dataset.key = key;
      fig.innerHTML = "<canvas></canvas><figcaption><span class='what'></span><span class='range'></span></figcaption>";
      box.appendChild(fig);
    }
    fig.querySelector(".what").textContent = caption;
    return fig;
  }

  function show(box, key, caption, values, signed) {
    const fig = figure(box, key, caption);
    paint(fig.querySelector("canvas"), values, signed);
    let lo = Infinity, hi = -Infinity;
    for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    fig.querySelector(".range").textContent = " " + TEXT.range(lo.toPrecision(3), hi.toPrecision(3));
    fig.classList.toggle("square", values.length === SIDE * SIDE);
  }

  function layerName(i) {
    const layer = net.layers[i];
    return layer.type === "Dense" ? `Dense ${layer.nIn}→${layer.nOut}` : layer.type;
  }

  // ---- the probabilities -------------------------------------------------------------------

  function buildBars() {
    net.classNames.forEach((name, k) => {
      const li = document.createElement("li");
      li.innerHTML = `<button type="button"><span class="name"></span><span class="bar"><span class="fill"></span></span><span class="p"></span></button>`;
      li.querySelector(".name").textContent = name;
      li.querySelector("button").addEventListener("click", () => { chosen = k; update(); });
      bars.appendChild(li);
    });
  }

  function setBars(probabilities, winner, c) {
    bars.querySelectorAll("li").forEach((li, k) => {
      const p = probabilities ? probabilities[k] : 0;
      li.querySelector(".fill").style.width = `${(100 * p).toFixed(1)}%`;
      li.querySelector(".p").textContent = probabilities ? percent(p) : "";
      li.classList.toggle("winner", k === winner);
      li.classList.toggle("chosen", k === c);
    });
  }

  // ---- preprocessing: the MNIST way --------------------------------------------------------

  // Weights of an area-averaging resize of n samples to m: out[k] = Σ w[k][i] in[i], rows sum to 1.
  function boxWeights(n, m) {
    const w = [];
    const step = n / m;
    for (let k = 0; k < m; k++) {
      const lo = k * step, hi = (k + 1) * step, row = [];
      for (let i = Math.floor(lo); i < Math.min(Math.ceil(hi), n); i++) {
        const cover = Math.min(hi, i + 1) - Math.max(lo, i);
        if (cover > 0) row.push([i, cover / step]);
      }
      w.push(row);
    }
    return w;
  }

  function mnistStyle() {
    const { width, height } = pad;
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const ink = new Float64Array(width * height);
    let top = height, bottom = -1, left = width, right = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = rgba[4 * (y * width + x)] / 255;
        ink[y * width + x] = v;
        if (v > 0.05) {
          top = Math.min(top, y); bottom = Math.max(bottom, y);
          left = Math.min(left, x); right = Math.max(right, x);
        }
      }
    }
    if (bottom < 0) return null;
    const h = bottom - top + 1, w = right - left + 1;
    const scale = BOX / Math.max(h, w);
    const oh = Math.max(1, Math.round(h * scale)), ow = Math.max(1, Math.round(w * scale));
    const rowsW = boxWeights(h, oh), colsW = boxWeights(w, ow);
    const digit = new Float64Array(oh * ow);
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        let sum = 0;
        for (const [y, wy] of rowsW[r]) for (const [x, wx] of colsW[c]) sum += wy * wx * ink[(top + y) * width + left + x];
        digit[r * ow + c] = Math.min(sum, 1);
      }
    }
    let mass = 0, my = 0, mx = 0;
    for (let r = 0; r < oh; r++) for (let c = 0; c < ow; c++) {
      const v = digit[r * ow + c]; mass += v; my += v * r; mx += v * c;
    }
    const clip = (v, hi) => Math.max(0, Math.min(hi, v));
    const dy = clip(Math.round(14 - my / mass), SIDE - oh), dx = clip(Math.round(14 - mx / mass), SIDE - ow);
    const pixels = new Float64Array(SIDE * SIDE);
    for (let r = 0; r < oh; r++) for (let c = 0; c < ow; c++) pixels[(r + dy) * SIDE + c + dx] = digit[r * ow + c];
    return pixels;
  }

  // ---- one reading -------------------------------------------------------------------------

  function run(pixels, c) {
    const trace = net.forward(pixels);
    const cls = c === null || c === undefined ? trace.winner : c;
    return { trace, cls, grads: net.backward(trace, cls) };
  }

  function update() {
    pending = false;
    const pixels = drawn ? mnistStyle() : null;
    if (!pixels) {
      status.textContent = TEXT.prompt;
      setBars(null, -1, -1);
      root.classList.add("blank");
      return;
    }
    root.classList.remove("blank");
    const { trace, cls, grads } = run(pixels, chosen);
    const label = net.classNames[trace.winner];
    status.textContent = TEXT.reads(label, percent(trace.probabilities[trace.winner]));
    status.dataset.prediction = label;
    setBars(trace.probabilities, trace.winner, cls);
    show(forwardBox, "input", TEXT.input, pixels, false);
    const shown = (i) => !["Dropout", "Identity"].includes(net.layers[i].type); // a = x when reading
    trace.outputs.forEach((a, i) => {
      if (!shown(i)) return;
      const signed = !["ReLU", "Sigmoid", "Softmax"].includes(net.layers[i].type);
      show(forwardBox, `a${i}`, TEXT.layer(i, layerName(i), a.length), a, signed);
    });
    backwardTitle.textContent = TEXT.chosen(net.classNames[cls]);
    for (let i = grads.layers.length - 1; i >= 0; i--) if (shown(i)) show(backwardBox, `g${i}`, TEXT.grad(i, layerName(i)), grads.layers[i], true);
    show(backwardBox, "pixels", TEXT.pixels, grads.pixels, true);
    show(backwardBox, "saliency", TEXT.saliency, grads.pixels.map(Math.abs), false);
  }

  function soon() {
    if (!pending) { pending = true; requestAnimationFrame(update); }
  }

  // ---- drawing -----------------------------------------------------------------------------

  function reset() {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.strokeStyle = "#fff";
    ctx.fillStyle = "#fff";
    ctx.lineWidth = STROKE;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
  }

  function point(event) {
    const rect = pad.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) * pad.width) / rect.width,
             y: ((event.clientY - rect.top) * pad.height) / rect.height };
  }

  pad.addEventListener("pointerdown", (event) => {
    if (pointer !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    pointer = event.pointerId;
    pad.setPointerCapture(event.pointerId);
    last = point(event);
    ctx.beginPath();
    ctx.arc(last.x, last.y, STROKE / 2, 0, 2 * Math.PI);
    ctx.fill();
    drawn = true;
    soon();
  });
  pad.addEventListener("pointermove", (event) => {
    if (event.pointerId !== pointer) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const e of events.length ? events : [event]) {
      const p = point(e);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p;
    }
    soon();
  });
  const end = (event) => { if (event.pointerId === pointer) { pointer = null; soon(); } };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  root.querySelector("#barenet-clear").addEventListener("click", () => {
    reset(); drawn = false; chosen = null;
    forwardBox.replaceChildren(); backwardBox.replaceChildren(); backwardTitle.textContent = "";
    delete status.dataset.prediction;
    update();
  });

  const about = root.querySelector("#barenet-about");
  if (about) about.textContent = TEXT.about(net.about);
  reset();
  buildBars();
  update();
  // For the tests (and the curious, in the console): the network and one reading.
  window.barenetDemo = { net, run, mnistStyle };
})();
