// Ward tablet (kiosk). After someone sends their answers, the thank-you page goes back to
// a fresh form for the next person; a half-filled form goes back to a fresh one after a
// time without use, so nobody sees earlier answers. Without JavaScript the form still
// works and the thank-you page returns by itself (a <noscript> refresh).
const thanks = document.querySelector('[data-kiosk-return-url]')

if (thanks) {
  const seconds = Number(thanks.dataset.kioskReturnSeconds) || 8
  window.setTimeout(() => {
    window.location.replace(thanks.dataset.kioskReturnUrl)
  }, seconds * 1000)
}

const form = document.querySelector('form[data-kiosk-start-url]')

if (form) {
  const idleMs = (Number(form.dataset.kioskIdleSeconds) || 90) * 1000
  let touched = document.querySelector('.nhsuk-error-summary') !== null
  let timer

  const restart = () => {
    window.clearTimeout(timer)
    timer = window.setTimeout(() => {
      if (touched) {
        window.location.replace(form.dataset.kioskStartUrl)
      }
    }, idleMs)
  }

  form.addEventListener('input', () => { touched = true })
  form.addEventListener('change', () => { touched = true })
  for (const name of ['input', 'change', 'keydown', 'pointerdown', 'scroll']) {
    document.addEventListener(name, restart, { passive: true })
  }
  restart()
}
