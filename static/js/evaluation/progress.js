// Shows an import's progress as it goes, without reloading the page: fetches the page
// again every few seconds and swaps in its status region, which screen readers announce
// politely. When the import has finished, swaps in the whole page content (the rows not
// saved). Without JavaScript the page has a "Refresh the progress" link.
const POLL_MS = 2000

const poll = async (region) => {
  const response = await fetch(region.dataset.progressUrl, { cache: 'no-store', credentials: 'same-origin' })
  if (!response.ok) {
    return
  }
  const page = new DOMParser().parseFromString(await response.text(), 'text/html')
  const fresh = page.querySelector('[data-progress-url]')
  if (fresh) {
    region.innerHTML = fresh.innerHTML
    window.setTimeout(() => poll(region), POLL_MS)
  } else {
    const main = page.querySelector('main')
    if (main) {
      document.querySelector('main').innerHTML = main.innerHTML
    }
  }
}

const region = document.querySelector('[data-progress-url]')
if (region) {
  window.setTimeout(() => poll(region), POLL_MS)
}
