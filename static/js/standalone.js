// The player of a standalone HTML export: the same views, captions and
// player as the page, on one trace carried in the file. No server, no
// network: webapp/standalone.py inlines this module, those it imports and
// plotly.js into one HTML file.
import { globalSummary, stepCaption } from "./caption.js";
import { createGlobalView, globalFigure } from "./global.js";
import { featureName } from "./heatmap.js";
import { createPlayer, playerElements } from "./player.js";
import { createSlidingView } from "./sliding.js";

const trace = JSON.parse(document.getElementById("trace").textContent);
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
  byTestId("caption").textContent = stepCaption(trace, step);
  const maxBand = globalFigure(trace, roomOf(globalPlot), bandStart).view.bandSize;
  const shown = await sliding.render(trace, step, roomOf(slidingPlot), { bandStart, maxBand });
  bandSize = shown.bandSize;
  const band = byTestId("band");
  band.hidden = shown.bandSize >= shown.features;
  byTestId("band-range").textContent = `features ${featureName(shown.bandFirst)}–${featureName(shown.bandLast)} of ${shown.features}`;
  return shown;
}

async function drawAll() {
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
  },
);

function moveBand(direction) {
  bandStart = Math.max(0, Math.min(trace.pooling.features - 1, bandStart + direction * bandSize));
  drawAll();
}

byTestId("sliding-title").textContent = trace.pooling.call;
byTestId("global-title").textContent = trace.global.call;
byTestId("global-summary").textContent = globalSummary(trace);
byTestId("band-prev").addEventListener("click", () => moveBand(-1));
byTestId("band-next").addEventListener("click", () => moveBand(1));
player.reset(0);
let frame = 0;
window.addEventListener("resize", () => {
  cancelAnimationFrame(frame);
  frame = requestAnimationFrame(drawAll);
});
drawAll();
