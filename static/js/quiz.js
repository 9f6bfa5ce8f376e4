// The quiz: questions on the sentence and layer on screen, made by the
// server from the engine's numbers (POST /api/quiz, pooling/quiz.py), each
// with its own Check and an explanation. The seed is part of the lesson
// link, so a class opening one link gets one quiz. Nothing is stored: the
// score lives in this page only.
import { fetchTrace } from "./api.js";
import { t } from "./i18n.js";
import { toRequest } from "./state.js";

// The facts about Keras each kind of question's explanation states (pooling/claims.py).
const CLAIMS = [
  { kind: "strides-none", claim: "strides-none-is-pool-size" },
  { kind: "same-length", claim: "same-length-ceil" },
  { kind: "shape", claim: "keepdims-steps-axis" },
  { kind: "gradient", claim: "max-gradient-to-winner" },
  { kind: "gradient", claim: "average-gradient-shared" },
  { kind: "shift", claim: "global-ignores-order" },
];

/** The claim an explanation states, if any: the gradient's depends on the layer (`max` or `average`), the shape's on keepdims. */
function claimOf(question, layer) {
  const claims = CLAIMS.filter((c) => c.kind === question.kind).map((c) => c.claim);
  if (question.kind === "gradient") return claims[layer === "max" ? 0 : 1];
  if (question.kind === "shape") return question.about?.layer === "global-keepdims" ? claims[0] : null;
  return claims[0] ?? null;
}

/**
 * The quiz for the printed worksheet: the questions with lettered choices,
 * or (`answers`) each right choice with its explanation, for the key page.
 */
export function quizSheet(questions, answers) {
  const section = document.createElement("section");
  section.className = "ws-quiz";
  const title = document.createElement("h2");
  title.textContent = t(answers ? "quiz.sheet.answers" : "quiz.sheet.title");
  const list = document.createElement("ol");
  const letter = (i) => String.fromCharCode(97 + i);
  for (const question of questions) {
    const item = document.createElement("li");
    const prompt = document.createElement("p");
    prompt.textContent = question.prompt;
    item.append(prompt);
    if (answers) {
      const key = document.createElement("p");
      key.textContent = t("quiz.sheet.key", {
        letter: letter(question.answer), choice: question.choices[question.answer], explanation: question.explanation,
      });
      item.append(key);
    } else {
      const choices = document.createElement("ol");
      choices.type = "a";
      for (const choice of question.choices) {
        const option = document.createElement("li");
        option.textContent = choice;
        choices.append(option);
      }
      item.append(choices);
    }
    list.append(item);
  }
  section.append(title, list);
  return section;
}

export function createQuiz({ details, list, again, score, url, onSeed }) {
  let state = null;
  let loadedFor = "";
  let questions = [];
  let firstTries = new Map(); // question index -> right at the first check
  let controller = null;

  function showScore() {
    const right = [...firstTries.values()].filter(Boolean).length;
    score.textContent = questions.length
      ? t("quiz.score", { right, asked: firstTries.size, left: questions.length - firstTries.size })
      : "";
  }

  function questionItem(question, index, layer) {
    const item = document.createElement("li");
    item.className = "quiz-question";
    item.dataset.testid = "quiz-question";
    item.dataset.kind = question.kind;
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = question.prompt;
    fieldset.append(legend);
    question.choices.forEach((choice, i) => {
      const label = document.createElement("label");
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = `quiz-${index}`;
      radio.value = String(i);
      label.append(radio, " ", choice);
      fieldset.append(label);
    });
    const check = document.createElement("button");
    check.type = "button";
    check.className = "quiz-check";
    check.dataset.testid = "quiz-check";
    check.textContent = t("quiz.check");
    const feedback = document.createElement("p");
    feedback.className = "quiz-feedback";
    feedback.dataset.testid = "quiz-feedback";
    feedback.setAttribute("aria-live", "polite");
    const claim = claimOf(question, layer);
    if (claim) feedback.dataset.claim = claim;
    check.addEventListener("click", () => {
      const chosen = fieldset.querySelector("input:checked");
      if (!chosen) {
        feedback.textContent = t("quiz.choose_first");
        delete feedback.dataset.right;
        fieldset.querySelector("input").focus();
        return;
      }
      const right = Number(chosen.value) === question.answer;
      if (!firstTries.has(index)) firstTries.set(index, right);
      feedback.dataset.right = String(right);
      feedback.textContent = right
        ? t("quiz.right", { explanation: question.explanation })
        : t("quiz.wrong", { answer: question.choices[question.answer], explanation: question.explanation });
      showScore();
    });
    item.append(fieldset, check, feedback);
    return item;
  }

  async function load() {
    if (!state || !details.open) return;
    const body = { ...toRequest(state), quiz: state.quiz };
    const wanted = JSON.stringify(body);
    if (wanted === loadedFor) return;
    controller?.abort();
    controller = new AbortController();
    const mine = controller;
    details.dataset.busy = "true";
    try {
      const answer = await fetchTrace(url, body, mine.signal);
      loadedFor = wanted;
      questions = answer.questions;
      firstTries = new Map();
      list.replaceChildren(...questions.map((question, index) => questionItem(question, index, body.layer)));
      showScore();
    } catch (error) {
      if (error.name === "AbortError") return;
      list.replaceChildren();
      score.textContent = error.message;
    } finally {
      if (controller === mine) delete details.dataset.busy;
    }
  }

  // The quiz follows the tool: a new sentence or layer, new questions.
  document.addEventListener("pooling:trace", (event) => {
    state = event.detail.state;
    load();
  });
  details.addEventListener("toggle", load);
  again.addEventListener("click", () => {
    if (!state) return;
    onSeed(state.quiz + 1);
    load();
  });

  return {
    /** The questions on screen, for the worksheet; null while the quiz was not opened for this view. */
    questions: () => (questions.length && state && loadedFor === JSON.stringify({ ...toRequest(state), quiz: state.quiz }) ? questions : null),
    /** The learner's score: right at the first try, out of the questions asked; null before the quiz is opened. */
    score: () => (questions.length ? { right: [...firstTries.values()].filter(Boolean).length, total: questions.length } : null),
  };
}
