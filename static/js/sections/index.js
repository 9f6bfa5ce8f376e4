// The guided sections under the tool: one module per view, all following
// the tool's sentence and settings through its "pooling:trace" event.
import { toRequest } from "../state.js";
import { createBatch } from "./batch.js";
import { createEquivalence } from "./equivalence.js";
import { createGradient } from "./gradient.js";
import { createModel } from "./model.js";
import { createShift } from "./shift.js";
import { createTextCnn } from "./textcnn.js";

const article = document.getElementById("sections");
const api = {
  trace: article.dataset.apiTrace,
  gradient: article.dataset.apiGradient,
  batch: article.dataset.apiBatch,
  model: article.dataset.apiModel,
  textcnn: article.dataset.apiTextcnn,
};
const section = (id) => document.getElementById(id);

const views = [
  createEquivalence(section("equivalence"), api),
  createShift(section("shift"), api),
  createBatch(section("batch"), api),
  createGradient(section("gradient"), api),
  createModel(section("model"), api),
  createTextCnn(section("textcnn"), api),
];

let first = true;
document.addEventListener("pooling:trace", (event) => {
  const { trace, state } = event.detail;
  // A snapshot: the tool keeps changing its state object after this event.
  const context = { trace, request: toRequest(state), seed: state.seed, features: state.features };
  for (const view of views) view.follow(context);
  if (first) {
    first = false;
    // A deep link (/#gradient) lands on its section once the tool above has its final height.
    const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && article.contains(target)) target.scrollIntoView({ block: "start" });
  }
});
