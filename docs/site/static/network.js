// barenet's network in plain JavaScript: the forward pass, and the backward pass of one class's
// score, for the weights `barenet export MODEL --web FILE.js` writes (barenet.web.weights).
//
// The same formulas as barenet's NumPy layers (src/barenet/nn/), one sample at a time, in double
// precision (JavaScript's numbers) on the stored float32 or float16 weights:
//
//   Dense      z_j = b_j + Σ_i x_i W_ij                 backward  dx_i = Σ_j g_j W_ij
//   ReLU       a = max(z, 0)                            backward  g · [a > 0]
//   LeakyReLU  a = z if z > 0 else αz                   backward  g · (1 if z > 0 else α)
//   Sigmoid    a = 1 / (1 + e^(−z))                     backward  g · a(1 − a)
//   Tanh       a = tanh z                               backward  g · (1 − a²)
//   Softmax    p = e^(z − max z) / Σ e^(z − max z)      backward  p ⊙ (g − Σ_k g_k p_k)
//   BatchNorm  y = x · scale + shift (inference)        backward  g · scale
//   Identity, Dropout (inference)  a = x                backward  g
//
// The input is the 28×28 pixels in [0, 1], standardised as the model was trained:
// x = (pixel − mean) / std. The scores s are the last layer's output (the logits of a model
// trained with softmax cross-entropy); the probabilities are softmax(s) (or sigmoid, as the
// model says). backward(trace, c) starts from ∂s_c/∂s = one-hot(c) and returns ∂s_c/∂(output of
// every layer), ∂s_c/∂x and ∂s_c/∂pixel = ∂s_c/∂x / std: the saliency map is its magnitude.
"use strict";

const BarenetNetwork = (function () {
  // A half-precision number (its 16 bits) as a double: sign, 5-bit exponent, 10-bit fraction.
  function halfToNumber(h) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) return sign * fraction * Math.pow(2, -24); // subnormal
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * Math.pow(2, exponent - 15);
  }

  // {"dtype", "shape", "data": base64 little-endian} -> Float64Array of its values.
  function decode(entry) {
    const text = atob(entry.data);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const view = new DataView(bytes.buffer);
    const wide = entry.dtype === "float32";
    const n = bytes.length / (wide ? 4 : 2);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = wide ? view.getFloat32(4 * i, true) : halfToNumber(view.getUint16(2 * i, true));
    }
    return out;
  }

  function prepareLayer(spec) {
    const layer = { type: spec.type };
    if (spec.type === "Dense") {
      layer.nIn = spec.n_in;
      layer.nOut = spec.n_out;
      layer.W = decode(spec.W); // (n_in, n_out) row-major: W[i * n_out + j]
      layer.b = decode(spec.b);
    } else if (spec.type === "BatchNorm") {
      layer.scale = decode(spec.scale);
      layer.shift = decode(spec.shift);
    } else if (spec.type === "LeakyReLU") {
      layer.alpha = spec.alpha;
    }
    return layer;
  }

  function dense(layer, x) {
    const { nIn, nOut, W, b } = layer;
    const z = Float64Array.from(b);
    for (let i = 0; i < nIn; i++) {
      const xi = x[i];
      if (xi === 0) continue; // most pixels are blank
      const row = i * nOut;
      for (let j = 0; j < nOut; j++) z[j] += xi * W[row + j];
    }
    return z;
  }

  function denseBackward(layer, g) {
    const { nIn, nOut, W } = layer;
    const dx = new Float64Array(nIn);
    for (let i = 0; i < nIn; i++) {
      const row = i * nOut;
      let sum = 0;
      for (let j = 0; j < nOut; j++) sum += g[j] * W[row + j];
      dx[i] = sum;
    }
    return dx;
  }

  function softmax(z) {
    let top = -Infinity;
    for (const v of z) top = Math.max(top, v);
    const e = z.map((v) => Math.exp(v - top));
    let total = 0;
    for (const v of e) total += v;
    return e.map((v) => v / total);
  }

  function sigmoid(v) {
    // e^(−|v|) ≤ 1: never overflows
    const e = Math.exp(-Math.abs(v));
    return v >= 0 ? 1 / (1 + e) : e / (1 + e);
  }

  function layerForward(layer, x) {
    switch (layer.type) {
      case "Dense": return dense(layer, x);
      case "ReLU": return x.map((v) => (v > 0 ? v : 0));
      case "LeakyReLU": return x.map((v) => (v > 0 ? v : layer.alpha * v));
      case "Sigmoid": return x.map(sigmoid);
      case "Tanh": return x.map(Math.tanh);
      case "Softmax": return softmax(x);
      case "BatchNorm": return x.map((v, j) => v * layer.scale[j] + layer.shift[j]);
      default: return Float64Array.from(x); // Identity, Dropout at inference
    }
  }

  // ∂s_c/∂(layer input) from g = ∂s_c/∂(layer output); x its input, a its output.
  function layerBackward(layer, g, x, a) {
    switch (layer.type) {
      case "Dense": return denseBackward(layer, g);
      case "ReLU": return g.map((v, j) => (a[j] > 0 ? v : 0));
      case "LeakyReLU": return g.map((v, j) => (x[j] > 0 ? v : layer.alpha * v));
      case "Sigmoid": return g.map((v, j) => v * a[j] * (1 - a[j]));
      case "Tanh": return g.map((v, j) => v * (1 - a[j] * a[j]));
      case "Softmax": {
        let dot = 0;
        for (let k = 0; k < g.length; k++) dot += g[k] * a[k];
        return g.map((v, k) => a[k] * (v - dot));
      }
      case "BatchNorm": return g.map((v, j) => v * layer.scale[j]);
      default: return Float64Array.from(g);
    }
  }

  function load(data) {
    const layers = data.layers.map(prepareLayer);
    const norm = data.input;
    const nIn = layers.find((layer) => layer.type === "Dense").nIn;
    const mean = new Float64Array(nIn);
    const std = new Float64Array(nIn).fill(1);
    if (norm) {
      for (let i = 0; i < nIn; i++) {
        mean[i] = norm.kind === "per-pixel" ? norm.mean[i] : norm.mean;
        std[i] = norm.kind === "per-pixel" ? norm.std[i] : norm.std;
      }
    }
    const outputActivation = data.output_activation;

    function probabilities(scores) {
      if (outputActivation === "softmax") return softmax(scores);
      if (outputActivation === "sigmoid") {
        const p = scores.map(sigmoid);
        return p.length === 1 ? Float64Array.from([1 - p[0], p[0]]) : normalise(p);
      }
      return normalise(Float64Array.from(scores)); // already probabilities (a Softmax layer, MSE)
    }

    function normalise(p) {
      let total = 0;
      for (const v of p) total += v;
      return total > 0 ? p.map((v) => v / total) : p;
    }

    // pixels: 784 numbers in [0, 1] -> {x, outputs (one per layer), scores, probabilities, winner}
    function forward(pixels) {
      const x = new Float64Array(nIn);
      for (let i = 0; i < nIn; i++) x[i] = (pixels[i] - mean[i]) / std[i];
      const outputs = [];
      let a = x;
      for (const layer of layers) {
        a = layerForward(layer, a);
        outputs.push(a);
      }
      const probs = probabilities(a);
      let winner = 0;
      for (let k = 1; k < probs.length; k++) if (probs[k] > probs[winner]) winner = k;
      return { x, outputs, scores: a, probabilities: probs, winner };
    }

    // The gradient of score c: {layers: ∂s_c/∂(output of each layer), input: ∂s_c/∂x, pixels}.
    function backward(trace, c) {
      const scores = trace.scores;
      let g = new Float64Array(scores.length);
      g[scores.length > 1 ? c : 0] = 1; // one sigmoid unit scores class 1 for either class
      const grads = new Array(layers.length);
      for (let l = layers.length - 1; l >= 0; l--) {
        grads[l] = g;
        const input = l > 0 ? trace.outputs[l - 1] : trace.x;
        g = layerBackward(layers[l], g, input, trace.outputs[l]);
      }
      const pixels = g.map((v, i) => v / std[i]);
      return { layers: grads, input: g, pixels };
    }

    return { layers, forward, backward, classNames: data.class_names, about: data.about, nIn };
  }

  return { load, decode, halfToNumber };
})();
