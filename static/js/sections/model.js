// Section 5: the two models of the classic question as model.summary()
// tables, the pooling row highlighted, for an input shape the learner sets
// (the question's (6, 10) to start, or the sentence above).
import { createSection, part, post, wholeNumber } from "./section.js";
import { formatNumber, t } from "../i18n.js";

const TITLES = {
  windowed: "sections.model.windowed",
  global: "sections.model.global",
};

const shapeText = (shape) => `(${shape.map((v) => (v === null ? "None" : v)).join(", ")})`;
const count = (n) => formatNumber(n);

function cell(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

/** One model as a table like model.summary(): layer (type), output shape, parameters (and how they are counted). */
function summaryTable(model) {
  const table = document.createElement("table");
  table.className = "summary-table";
  table.dataset.testid = `model-${model.name}`;
  table.append(cell("caption", t("sections.model.caption", { title: t(TITLES[model.name]), shape: shapeText(model.input_shape) })));
  const head = table.createTHead().insertRow();
  // The headers model.summary() prints, as Keras prints them in every language.
  head.setAttribute("translate", "no");
  for (const [text, cls] of [["Layer (type)"], ["Output Shape"], ["Param #", "params"]]) {
    const th = cell("th", text, cls);
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of model.rows) {
    const tr = body.insertRow();
    const name = cell("th", row.call);
    name.scope = "row";
    if (row.pooling) {
      tr.className = "pooling-row";
      tr.dataset.pooling = "true";
      name.append(cell("span", ` ← ${t("sections.model.pooling_layer")}`, "tag"));
    }
    // How the parameters are counted, under the layer's name.
    name.append(cell("span", row.formula, "how"));
    tr.append(name, cell("td", shapeText(row.output_shape)), cell("td", count(row.params), "params"));
  }
  const foot = table.createTFoot();
  foot.setAttribute("translate", "no");
  for (const [label, value] of [["Total params", model.total_params], ["Trainable params", model.trainable_params]]) {
    const tr = foot.insertRow();
    const th = cell("th", label);
    th.scope = "row";
    th.colSpan = 2;
    tr.append(th, cell("td", count(value), "params"));
  }
  return table;
}

export function createModel(root, api) {
  const steps = root.querySelector('[data-testid="model-steps"]');
  const features = root.querySelector('[data-testid="model-features"]');
  const section = createSection(root, {
    key: () => JSON.stringify([steps.value, features.value]),
    load(_, signal) {
      const body = {
        steps: wholeNumber(steps, t("sections.model.steps"), 1, 256), features: wholeNumber(features, t("sections.model.features"), 1, 64),
      };
      return post(api.model, body, signal);
    },
    render(answer) {
      part(root, "plot").replaceChildren(...answer.models.map((model) => {
        const box = document.createElement("div");
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", t(TITLES[model.name]));
        box.append(summaryTable(model));
        return box;
      }));
      const [windowed, global] = answer.models;
      part(root, "status").textContent = t("sections.model.status", {
        shape: shapeText([answer.request.steps, answer.request.features]), windowed: windowed.total_params, global: global.total_params,
      });
    },
  });
  part(root, "controls").addEventListener("input", () => section.changed());
  root.querySelector('[data-testid="model-from-sentence"]').addEventListener("click", () => {
    const context = section.context;
    if (!context) return;
    steps.value = String(context.trace.tokens.length);
    features.value = String(context.trace.x[0].length);
    section.changed();
  });
  return section;
}
