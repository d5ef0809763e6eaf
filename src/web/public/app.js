// Progressive enhancement only: every journey works without this file.
import { initAll } from '/govuk/govuk-frontend.min.js'
initAll()

// GOV.UK Frontend marks a radio or checkbox that reveals a question with aria-expanded, which ARIA does
// not allow on those roles (a known issue: alphagov/govuk-frontend#979). The revealed question comes
// straight after its answer, so removing the attribute loses nothing and keeps the page valid.
const withoutExpanded = (input) => input.removeAttribute('aria-expanded')
document.querySelectorAll('input[aria-controls][aria-expanded]').forEach(withoutExpanded)
new MutationObserver((changes) => {
  for (const change of changes) if (change.target instanceof HTMLInputElement && change.target.hasAttribute('aria-expanded')) withoutExpanded(change.target)
}).observe(document.body, { subtree: true, attributeFilter: ['aria-expanded'] })
