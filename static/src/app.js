// Starts the NHS.UK frontend components. `npm run build:js` appends this file to NHS.UK
// frontend's module script, giving one script (static/dist/app.js) and one request;
// `initAll` is that script's own top-level function.
initAll()
