// Loaded at the top of <body>, before anything is drawn: tells GOV.UK Frontend's styles that
// JavaScript runs here (and whether the browser supports its modules), so components start out in
// their scripted state instead of flickering. A file, not an inline script: the Content-Security-Policy
// allows scripts only from this site.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
