// A link to one submission of a consultation (/consultations/<slug>/#submission-<id>) lands on the
// first page of its submissions; when that page does not show it, ask the server for the page that
// does (?submission=<id>). Without JavaScript, ?submission=<id> links work the same.
const match = /^#submission-(\d+)$/.exec(window.location.hash);
if (match && !document.getElementById(`submission-${match[1]}`)) {
  const url = new URL(window.location.href);
  url.search = `?submission=${match[1]}`;
  url.hash = "";
  window.location.replace(url.toString());
}
