// Progressive enhancement only: every page works without JavaScript. If GOV.UK Frontend's files
// are not installed (make setup copies them), this import fails and the pages stay as they are.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
