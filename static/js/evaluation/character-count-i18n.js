// Gives the NHS.UK character count its messages in the page's language (for example
// Welsh). The translated messages are data-i18n.* attributes on an element marked
// data-character-count-i18n; this copies them onto each character count before the
// NHS.UK components start (module scripts run in order, and this one comes first).
const source = document.querySelector('[data-character-count-i18n]')

if (source) {
  const messages = Object.entries(source.dataset).filter(([key]) => key.startsWith('i18n.'))
  for (const counter of document.querySelectorAll('[data-module="nhsuk-character-count"]')) {
    for (const [key, value] of messages) {
      counter.dataset[key] = value
    }
  }
}
