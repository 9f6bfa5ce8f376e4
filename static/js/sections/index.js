// The guided sections under the tool: one module per view, all following
// the tool's sentence and settings through its "pooling:trace" event.
import { fetchTrace } from "../api.js";
import { createState, fieldTable, stateFromLink, toRequest } from "../state.js";
import { createBatch } from "./batch.js";
import { createEquivalence } from "./equivalence.js";
import { createGradient } from "./gradient.js";
import { latestTrace } from "./lazy.js";
import { createModel } from "./model.js";
import { createShift } from "./shift.js";
import { createTextCnn } from "./textcnn.js";
import { createArgmax } from "./argmax.js";
import { createConcat } from "./concat.js";
import { createDataFormat } from "./dataformat.js";
import { createFlatten } from "./flatten.js";
import { createMasking } from "./masking.js";
import { createReturnSequences } from "./returnseq.js";

const article = document.getElementById("sections");
const api = {
  trace: article.dataset.apiTrace,
  gradient: article.dataset.apiGradient,
  batch: article.dataset.apiBatch,
  model: article.dataset.apiModel,
  textcnn: article.dataset.apiTextcnn,
  questions: document.getElementById("sections-next").dataset.apiQuestions,
};
const section = (id) => document.getElementById(id);

const views = [
  createEquivalence(section("equivalence"), api),
  createShift(section("shift"), api),
  createBatch(section("batch"), api),
  createGradient(section("gradient"), api),
  createModel(section("model"), api),
  createTextCnn(section("textcnn"), api),
  // The questions that come next (templates/_sections_next.html).
  createFlatten(section("flatten"), api),
  createConcat(section("concat"), api),
  createArgmax(section("argmax"), api),
  createReturnSequences(section("return-sequences"), api),
  createDataFormat(section("data-format"), api),
  createMasking(section("masking"), api),
];

/**
 * A deep link (/#gradient) lands on its section and keeps it there while the
 * tool and the sections around it draw and change height, until the learner
 * scrolls, clicks or types.
 */
function holdDeepLink() {
  let id = "";
  try {
    id = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : "";
  } catch {
    return; // not a section's name: the tool's notice says so
  }
  const target = id ? document.getElementById(id) : null;
  if (!target || !article.contains(target)) return;
  const place = () => target.scrollIntoView({ block: "start" });
  const observer = new ResizeObserver(place);
  const release = () => {
    observer.disconnect();
    for (const type of EVENTS) removeEventListener(type, release, true);
  };
  const EVENTS = ["wheel", "touchstart", "keydown", "mousedown"];
  for (const type of EVENTS) addEventListener(type, release, { capture: true, passive: true });
  observer.observe(article);
  observer.observe(document.getElementById("app"));
  setTimeout(release, 5000);
  place();
}

let first = true;
function follow(trace, state) {
  // A snapshot: the tool keeps changing its state object after this event.
  const context = { trace, request: toRequest(state), seed: state.seed, features: state.features };
  for (const view of views) view.follow(context);
  if (first) {
    first = false;
    holdDeepLink();
  }
}
document.addEventListener("pooling:trace", (event) => follow(event.detail.trace, event.detail.state));

/**
 * The tool may draw its first trace before this module has loaded (its
 * modules come in a different order): then the event has gone. The tool
 * writes its whole state into the link after each draw, so the state is
 * read from there, as the tool itself reads a lesson link.
 */
async function catchUp() {
  // Loaded by lazy.js, after the tool's first draw: start from its latest trace.
  const missed = latestTrace();
  if (first && missed) {
    follow(missed.trace, missed.state);
    return;
  }
  if (!first || !Number(document.body.dataset.renders || 0)) return;
  // Only once the sections come on screen: until then nothing here needs the trace.
  await new Promise((resolve) => {
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(article);
  });
  if (!first) return;
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const { state } = stateFromLink(location, createState(boot.defaults, boot.presets), fieldTable(boot), boot.presets);
  const trace = await fetchTrace(boot.api.trace, toRequest(state));
  // A newer event wins over this catch-up.
  if (first) follow(trace, state);
}
catchUp();
