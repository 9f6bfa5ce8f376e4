// The guided sections arrive when they are wanted: their modules (and the
// data they fetch) load once the tool has drawn and the learner is within
// NEAR of a section (the article's heading and contents list need none of
// them), so a first visit spends its time on the tool. The tool's
// latest trace is kept here meanwhile, and the sections start from it.
let latest = null;
document.addEventListener("pooling:trace", (event) => { latest = event.detail; });

/** The tool's latest "pooling:trace" detail ({ trace, state }), or null before its first draw. */
export const latestTrace = () => latest;

// A little ahead of the viewport: the first section is ready as it scrolls in.
const NEAR = "100px 0px";

const drawn = new Promise((resolve) => {
  if (Number(document.body.dataset.renders || 0) > 0) resolve();
  else document.addEventListener("pooling:trace", resolve, { once: true });
});
const near = new Promise((resolve) => {
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    resolve();
  }, { rootMargin: NEAR });
  for (const section of document.querySelectorAll("#sections .guide")) observer.observe(section);
});
Promise.all([drawn, near]).then(() => import("./index.js"));
