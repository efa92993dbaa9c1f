// Starts the NHS.UK frontend components. Loaded as a module with the CSP nonce.
import { initAll } from '../dist/nhsuk-frontend.min.js'

initAll()
