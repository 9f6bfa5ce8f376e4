// The player of a standalone HTML export: the same views, captions and
// player as the page, on one trace carried in the file. No server, no
// network: webapp/standalone.py inlines this module, those it imports and
// plotly.js into one HTML file.
import { globalSummary, stepCaption } from "./caption.js";
import { createGlobalView, globalFigure } from "./global.js";
import { featureName } from "./heatmap.js";
import { t } from "./i18n.js";
import { createPlayer, playerElements } from "./player.js";
import { createPredict } from "./predict.js";
import { createSlidingView } from "./sliding.js";

const trace = JSON.parse(document.getElementById("trace").textContent);
const options = JSON.parse(document.getElementById("options")?.textContent ?? "{}");
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const slidingPlot = byTestId("sliding-plot");
const globalPlot = byTestId("global-plot");
const sliding = createSlidingView(slidingPlot);
const globalView = createGlobalView(globalPlot);
const PHONE = window.matchMedia("(max-width: 700px)");
let bandStart = 0;
let bandSize = trace.pooling.features;

const roomOf = (element) => ({
  width: element.clientWidth,
  height: PHONE.matches ? Math.round(window.innerHeight * 0.5) : element.clientHeight,
  presenting: false,
  stacked: PHONE.matches,
});

async function drawStep(step) {
  byTestId("caption").textContent = predict.concealed(step) ? predict.caption(step) : stepCaption(trace, step);
  const maxBand = globalFigure(trace, roomOf(globalPlot), bandStart).view.bandSize;
  const shown = await sliding.render(trace, step, roomOf(slidingPlot), {
    bandStart, maxBand, concealed: predict.concealedRows(step),
  });
  predict.show(step, Array.from({ length: shown.bandLast - shown.bandFirst + 1 }, (_, i) => shown.bandFirst + i));
  bandSize = shown.bandSize;
  const band = byTestId("band");
  band.hidden = shown.bandSize >= shown.features;
  byTestId("band-range").textContent = t("page.band.range", { first: featureName(shown.bandFirst), last: featureName(shown.bandLast), total: shown.features });
  return shown;
}

/** The global view and its summary, or a note while the global vector is to be predicted. */
function showGlobalWords() {
  const secret = predict.globalConcealed();
  globalPlot.closest(".panel").classList.toggle("concealed", secret);
  byTestId("global-summary").textContent = secret
    ? t("page.global.secret")
    : globalSummary(trace);
}

async function drawAll() {
  showGlobalWords();
  const shown = await drawStep(player.step);
  await globalView.render(trace, roomOf(globalPlot), shown.bandFirst, shown.bandSize);
  document.body.dataset.step = String(player.step);
}

const player = createPlayer(
  playerElements(byTestId),
  {
    onStep: async (step) => {
      await drawStep(step);
      document.body.dataset.step = String(step);
    },
    lastStep: () => trace.pooling.out_steps - 1,
    holdAt: (step) => predict.concealed(step),
  },
);

// Predict, then reveal, as on the page; the file opens in the mode it was saved in.
const predict = createPredict({
  toggle: byTestId("predict"),
  panel: byTestId("predict-panel"),
  results: { button: byTestId("results-copy"), status: byTestId("results-status") },
  onToggle: () => drawAll(),
  onReveal: () => drawAll(),
  getQuizScore: () => null,
});
predict.follow(trace);
predict.set(options.mode === "predict");

function moveBand(direction) {
  bandStart = Math.max(0, Math.min(trace.pooling.features - 1, bandStart + direction * bandSize));
  drawAll();
}

byTestId("sliding-title").textContent = trace.pooling.call;
byTestId("global-title").textContent = trace.global.call;
byTestId("band-prev").addEventListener("click", () => moveBand(-1));
byTestId("band-next").addEventListener("click", () => moveBand(1));
player.reset(0);
let frame = 0;
window.addEventListener("resize", () => {
  cancelAnimationFrame(frame);
  frame = requestAnimationFrame(drawAll);
});
drawAll();
