// Section 4: the backward pass. For an upstream gradient (ones unless
// edited), the gradient each input cell receives from the windowed and
// from the global layer, as /api/gradient computes it (jax.grad through
// Keras on JAX, ties included).
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { SectionError, createSection, part, post } from "./section.js";
import { featureColumns, numbersTable } from "./table.js";
import { allFrames } from "../trace.js";
import { joinList, t } from "../i18n.js";

const ones = (rows, cols) => Array.from({ length: rows }, () => Array(cols).fill(1));
const matrixText = (matrix) => matrix.map((row) => row.join(", ")).join("\n");

/** Rows of numbers from text: one row a line, numbers split by commas or spaces. */
function parseRows(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean)
    .map((line) => line.split(/[\s,;]+/).filter(Boolean).map(Number));
}

/** The upstream typed for a layer, checked against its output shape. */
function readUpstream(text, rows, cols, name) {
  const matrix = parseRows(text);
  const numbers = t("sections.gradient.numbers", { count: cols });
  const shape = rows === null ? numbers : t("sections.gradient.rows_of", { count: rows, numbers });
  if (matrix.some((row) => row.some((v) => !Number.isFinite(v)))) {
    throw new SectionError(t("sections.gradient.numbers_only", { layer: name, shape }));
  }
  const want = rows ?? 1;
  const bad = matrix.findIndex((row) => row.length !== cols);
  if (matrix.length !== want || bad >= 0) {
    const got = matrix.length !== want
      ? t("sections.gradient.got_rows", { count: matrix.length })
      : t("sections.gradient.got_row", { row: bad + 1, numbers: t("sections.gradient.numbers", { count: matrix[bad].length }) });
    throw new SectionError(t("sections.gradient.wrong_shape", { layer: name, shape, got }));
  }
  return rows === null ? matrix[0] : matrix;
}

export function createGradient(root, api) {
  const plot = part(root, "plot");
  const poolBox = root.querySelector('[data-testid="gradient-upstream-pooling"]');
  const globalBox = root.querySelector('[data-testid="gradient-upstream-global"]');
  let shape = null;

  function fillOnes() {
    if (!shape) return;
    poolBox.value = matrixText(ones(shape.rows, shape.cols));
    globalBox.value = ones(1, shape.cols)[0].join(", ");
  }

  const section = createSection(root, {
    key: ({ request }) => JSON.stringify([request, poolBox.value, globalBox.value]),
    onFollow({ trace }) {
      const next = { rows: trace.pooling.out_steps, cols: trace.pooling.features };
      const fits = shape && next.rows === shape.rows && next.cols === shape.cols;
      shape = next;
      part(root, "pool-name").textContent = trace.pooling.name;
      part(root, "global-name").textContent = trace.global.name;
      poolBox.rows = Math.min(Math.max(next.rows, 2), 8);
      // A new output shape: the upstream starts again from ones.
      if (!fits) fillOnes();
    },
    async load({ trace, request }, signal) {
      const upstreamPooling = readUpstream(poolBox.value, shape.rows, shape.cols, trace.pooling.name);
      const upstreamGlobal = readUpstream(globalBox.value, null, shape.cols, trace.global.name);
      return post(api.gradient, { ...request, upstream_pooling: upstreamPooling, upstream_global: upstreamGlobal }, signal);
    },
    async render(answer, context) {
      const p = answer.pooling;
      const g = answer.global;
      const limit = symmetricLimit([...p.grad, ...g.grad]);
      const { data, layout } = panelsFigure([
        { title: t("sections.figure.input_html", { shape: "x" }), z: answer.x, labels: answer.tokens, limit: symmetricLimit(answer.x) },
        { title: t("sections.gradient.from_html", { layer: p.name }), z: p.grad, labels: answer.tokens, limit },
        { title: t("sections.gradient.from_html", { layer: g.name }), z: g.grad, labels: answer.tokens, limit },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);
      part(root, "status").textContent = t("sections.gradient.status", {
        call: p.call, rows: p.upstream.length, cols: p.upstream[0].length, global: g.call, features: g.upstream.length,
      });
      part(root, "note").textContent = gradientNote(answer, context?.trace);
      const cols = featureColumns(answer.x[0].length);
      const byWord = (matrix) => matrix.map((values, r) => ({ label: `${r + 1}: ${answer.tokens[r]}`, values }));
      part(root, "table").replaceChildren(
        numbersTable({ caption: t("sections.gradient.caption", { call: p.call }), columns: cols, rows: byWord(p.grad), testId: "gradient-pooling-table" }),
        numbersTable({ caption: t("sections.gradient.caption", { call: g.call }), columns: cols, rows: byWord(g.grad), testId: "gradient-global-table" }),
      );
    },
  });

  const controls = part(root, "controls");
  controls.addEventListener("input", () => section.changed());
  root.querySelector('[data-testid="gradient-ones"]').addEventListener("click", () => {
    fillOnes();
    section.changed();
  });
  root.querySelector('[data-testid="gradient-ties"]').addEventListener("click", () => {
    // Drive the tool as a learner would: pick the example in its menu.
    const preset = document.querySelector('[data-testid="preset"]');
    preset.value = "ties";
    preset.dispatchEvent(new Event("change", { bubbles: true }));
  });
  return section;
}

/** How the two layers send the gradient back, and what ties did here. */
function gradientNote(answer, trace) {
  const p = answer.pooling;
  const g = answer.global;
  const sentences = [];
  // Ties inside a window, from the tool's frames (the same request): who gets that window's gradient.
  const frames = trace && trace.tokens.length === answer.tokens.length ? allFrames(trace) : null;
  if (p.routes && frames?.length === p.output.length) {
    const told = [];
    frames.forEach((frame, i) => {
      const tiedIn = (f) => frame.rows.filter((r) => answer.x[r][f] === p.output[i][f]).join(",");
      const all = p.output[i].map((_, f) => f).filter((f) => tiedIn(f).includes(","));
      if (!all.length || told.length >= 2) return;
      // The features tied among the same words as the first one.
      const features = all.filter((f) => tiedIn(f) === tiedIn(all[0]));
      const tied = tiedIn(all[0]).split(",").map(Number);
      told.push(t("sections.gradient.window_tie", {
        window: i + 1, words: joinList(tied.map((r) => r + 1)), features: joinList(features.map(featureName)),
        layer: p.name, word: p.routes[i][features[0]] + 1,
      }));
    });
    sentences.push(...told);
  }
  if (p.routes && g.shares) {
    // From the forward pass, not from the gradient: a word no window routes to and that holds
    // no global maximum gets 0 from both layers whatever the upstream (an upstream of zeros
    // gives every word 0, winners too).
    const routed = new Set(p.routes.flat());
    const holds = (r) => answer.x[r].some((v, f) => v === g.output[f]);
    const silent = answer.tokens.filter((_, r) => !routed.has(r) && !holds(r));
    if (silent.length) {
      // One word or a list of them: the sentence is built differently ("is", "are").
      const id = silent.length === 1 ? "sections.gradient.silent_one" : "sections.gradient.silent_several";
      sentences.push(t(id, { words: joinList(silent.map((w) => `'${w}'`)) }));
    }
    const tied = g.shares.map((n, f) => ({ n, f })).filter(({ n }) => n > 1);
    for (const { n, f } of tied.slice(0, 3)) {
      sentences.push(t("sections.gradient.shared", {
        feature: featureName(f), count: n, layer: g.name, share: `1/${n}`, value: shortNumber(g.upstream[f] / n),
      }));
    }
  }
  // Max pooling's tie rules are in the section's "Ties" paragraph, shown with the max layer.
  if (!p.routes) {
    sentences.push(t("sections.gradient.tie_rule", { layer: p.name, rule: p.tie_rule }), t("sections.gradient.tie_rule", { layer: g.name, rule: g.tie_rule }));
  }
  return sentences.join(" ");
}
