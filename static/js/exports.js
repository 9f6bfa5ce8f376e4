// Code and files for the current view: the Keras and PyTorch programs that
// print the same numbers, the trace as JSON and CSV (made by the server,
// from the same request), and the figures as PNG and SVG (drawn by Plotly
// from the figures on screen).
import { ApiError } from "./api.js";

/** POST the request to /api/export/<format>; resolve with { text, filename, type }. */
async function fetchExport(base, format, request, query = "") {
  const response = await fetch(`${base}${format}${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  if (!response.ok) {
    let message = `The server refused the export (HTTP ${response.status}).`;
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

export function createExports({ base, getRequest, getQuery = () => "", figures, buttons, dialog, status }) {
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
    // Each view as drawn, in its own file (SVG so a slide can be edited).
    for (const [name, gd] of Object.entries(figures)) {
      if (!gd.data) continue;
      await Plotly.downloadImage(gd, { format, filename: `pooling-${name}`, width: gd.layout.width, height: gd.layout.height });
    }
  }

  buttons.keras.addEventListener("click", () => showCode("keras", "Keras 3: the same layers on the same numbers"));
  buttons.pytorch.addEventListener("click", () => showCode("pytorch", "PyTorch: the same numbers, channels first"));
  buttons.json.addEventListener("click", () => download("json"));
  buttons.csv.addEventListener("click", () => download("csv"));
  buttons.html.addEventListener("click", () => download("html"));
  buttons.png.addEventListener("click", () => images("png"));
  buttons.svg.addEventListener("click", () => images("svg"));
  dialog.querySelector("[data-part=copy]").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      dialog.querySelector("[data-part=copied]").textContent = "Copied.";
    } catch {
      // No clipboard here: select the code so Ctrl+C copies it.
      getSelection().selectAllChildren(code);
      dialog.querySelector("[data-part=copied]").textContent = "Selected: press Ctrl+C to copy.";
    }
  });
  dialog.querySelector("[data-part=save]").addEventListener("click", () => shown && saveBlob(shown.blob, shown.filename));
  dialog.querySelector("[data-part=close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    dialog.querySelector("[data-part=copied]").textContent = "";
  });
}
