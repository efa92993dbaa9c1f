// Builds static/dist/app.js: NHS.UK frontend's module script followed by static/src/app.js,
// so every page loads one script (one request, one CSP nonce) instead of two.
import { readFileSync, writeFileSync } from 'node:fs'

const frontend = readFileSync('node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js', 'utf8')
  .replace(/\/\/# sourceMappingURL=\S+\s*$/, '')
if (!/\bfunction initAll\b/.test(frontend)) {
  throw new Error('NHS.UK frontend no longer defines initAll at the top level')
}
const app = readFileSync('static/src/app.js', 'utf8')
writeFileSync('static/dist/app.js', `${frontend.trimEnd()}\n${app}`)
