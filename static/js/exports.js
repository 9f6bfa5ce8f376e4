// Code and files for the current view: the Keras and PyTorch programs that
// print the same numbers, the trace as JSON and CSV (made by the server,
// from the same request), and the figures as PNG and SVG (drawn by Plotly
// from the figures on screen, titled with the layer call, the PNG at
// IMAGE_SCALE times the screen's pixels so it stays sharp on a slide).
import { ApiError } from "./api.js";
import { lang, t } from "./i18n.js";

/** PNG pixels per screen pixel: 3x a 640 px figure is 1920 px, a full-HD slide's width. */
export const IMAGE_SCALE = 3;
const TITLE_ROOM = 40;

/** POST the request to /api/export/<format>; resolve with { text, filename, type }. */
async function fetchExport(base, format, request, query = "") {
  const response = await fetch(`${base}${format}${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": lang() },
    body: JSON.stringify(request),
  });
  if (!response.ok) {
    let message = t("page.export.refused", { status: String(response.status) });
    try {
      message = (await response.json()).error ?? message;
    } catch {
      // not JSON: keep the plain message
    }
    throw new ApiError(message);
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `pooling.${format}`;
  return { blob: await response.blob(), filename };
}

/** Save a blob under a file name, as a link the browser downloads. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A data URL (as Plotly.toImage gives it) as a Blob. */
function dataUrlBlob(url) {
  const [head, body] = [url.slice(0, url.indexOf(",")), url.slice(url.indexOf(",") + 1)];
  const type = /^data:([^;,]+)/.exec(head)[1];
  if (!head.endsWith(";base64")) return new Blob([decodeURIComponent(body)], { type });
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

/**
 * A figure as drawn, with the layer call as its title above the plot: the
 * figure's own data and layout, the top margin grown to make room.
 */
export function titledFigure(gd, title) {
  const full = gd._fullLayout;
  const width = full.width;
  const height = full.height + TITLE_ROOM;
  const size = Math.max(10, Math.min(18, Math.floor((width - 16) / (0.62 * title.length))));
  const layout = {
    ...gd.layout,
    width,
    height,
    margin: { ...full.margin, t: full.margin.t + TITLE_ROOM },
    title: {
      text: title, x: 0, xref: "container", xanchor: "left", y: 1, yref: "container", yanchor: "top",
      pad: { t: 10, l: 8 }, font: { family: "DejaVu Sans Mono, Menlo, Consolas, monospace", size, color: "#1f2430" },
    },
  };
  return { figure: { data: gd.data, layout }, width, height };
}

export function createExports({ base, getRequest, getQuery = () => "", figures, titles, buttons, dialog, status }) {
  const code = dialog.querySelector("[data-part=code]");
  const title = dialog.querySelector("[data-part=title]");
  let shown = null;

  async function showCode(format, label) {
    status.textContent = "";
    try {
      const { blob, filename } = await fetchExport(base, format, getRequest());
      shown = { blob, filename };
      title.textContent = label;
      code.textContent = await blob.text();
      dialog.showModal();
    } catch (error) {
      status.textContent = error.message;
    }
  }

  async function download(format) {
    status.textContent = "";
    try {
      // The query carries what is no part of the trace (the offline player's predict mode).
      const { blob, filename } = await fetchExport(base, format, getRequest(), getQuery(format));
      saveBlob(blob, filename);
    } catch (error) {
      status.textContent = error.message;
    }
  }

  async function images(format) {
    // Each view as drawn, in its own file (SVG so a slide can be edited), titled with its layer call.
    status.textContent = "";
    for (const [name, gd] of Object.entries(figures)) {
      if (!gd.data) continue;
      const { figure, width, height } = titledFigure(gd, titles[name].textContent);
      const url = await Plotly.toImage(figure, { format, width, height, scale: format === "png" ? IMAGE_SCALE : 1 });
      saveBlob(dataUrlBlob(url), `pooling-${name}.${format}`);
    }
  }

  buttons.keras.addEventListener("click", () => showCode("keras", t("page.code.keras")));
  buttons.pytorch.addEventListener("click", () => showCode("pytorch", t("page.code.pytorch")));
  buttons.json.addEventListener("click", () => download("json"));
  buttons.csv.addEventListener("click", () => download("csv"));
  buttons.html.addEventListener("click", () => download("html"));
  buttons.png.addEventListener("click", () => images("png"));
  buttons.svg.addEventListener("click", () => images("svg"));
  dialog.querySelector("[data-part=copy]").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      dialog.querySelector("[data-part=copied]").textContent = t("page.code.copied");
    } catch {
      // No clipboard here: select the code so Ctrl+C copies it.
      getSelection().selectAllChildren(code);
      dialog.querySelector("[data-part=copied]").textContent = t("page.code.selected");
    }
  });
  dialog.querySelector("[data-part=save]").addEventListener("click", () => shown && saveBlob(shown.blob, shown.filename));
  dialog.querySelector("[data-part=close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    dialog.querySelector("[data-part=copied]").textContent = "";
  });
}
