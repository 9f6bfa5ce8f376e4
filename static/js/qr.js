// The lesson link as a QR code, large enough to scan from the back of a
// room. The server makes the code (GET /api/qr, segno) and swaps a
// localhost address for one the students' phones can reach; when there is
// none, the dialog says how to make the server reachable.
import { ApiError } from "./api.js";
import { lang, t } from "./i18n.js";

export function createQr({ button, dialog, url }) {
  const part = (name) => dialog.querySelector(`[data-testid="${name}"]`);
  const box = part("qr-box");
  const linkText = part("qr-link");
  const note = part("qr-note");

  async function open() {
    const link = location.href;
    box.replaceChildren();
    linkText.textContent = link;
    note.textContent = t("page.qr.making");
    if (!dialog.open) dialog.showModal();
    try {
      const response = await fetch(`${url}?link=${encodeURIComponent(link)}`, { headers: { Accept: "application/json", "Accept-Language": lang() } });
      const body = await response.json();
      if (!response.ok) throw new ApiError(body.error ?? `HTTP ${response.status}`, body.field ?? null, response.status);
      const image = document.createElement("img");
      image.className = "qr-code";
      image.dataset.testid = "qr-code";
      image.src = body.image;
      image.alt = t("page.qr.alt", { link: body.link });
      box.replaceChildren(image);
      linkText.textContent = body.link;
      note.textContent = body.note;
    } catch (error) {
      note.textContent = error instanceof ApiError ? error.message : t("page.api.unreachable");
    }
  }

  button.addEventListener("click", open);
  dialog.querySelector('[data-part="close"]').addEventListener("click", () => dialog.close());
  return { open };
}
