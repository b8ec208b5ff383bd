// Counts an http-cache-tests result file the way cache-tests.fyi shows it: every test's verdict
// comes from the suite's own determineTestResult, so "fail" means what the published table means.
//   node summarize.mjs SUITE_DIR RESULTS.json [LABEL]
// Prints one line of counts, then the id of every required test that failed.
import fs from 'fs'
import path from 'path'
import { pathToFileURL } from 'url'

const [suiteDir, resultFile, label = path.basename(resultFile, '.json')] = process.argv.slice(2)
const load = (rel) => import(pathToFileURL(path.join(suiteDir, rel)).href)
const tests = (await load('tests/index.mjs')).default
tests.push((await load('tests/surrogate-control.mjs')).default)
const display = await load('lib/display.mjs')
const results = JSON.parse(fs.readFileSync(resultFile, 'utf8'))

const verdicts = { pass: 0, fail: 0, optional_fail: 0, yes: 0, no: 0, setup_fail: 0, harness_fail: 0, dependency_fail: 0, untested: 0 }
const names = Object.fromEntries(Object.entries(verdicts).map(([k]) => [k, []]))
for (const suite of tests) {
  for (const test of suite.tests) {
    const symbol = display.determineTestResult(tests, test.id, results)[2]
    const kind = { '✅': 'pass', '⛔️': 'fail', '⚠️': 'optional_fail', Y: 'yes', N: 'no', '🔹': 'setup_fail', '⁉️': 'harness_fail', '⚪️': 'dependency_fail', '-': 'untested', '↻': 'setup_fail' }[symbol]
    verdicts[kind]++
    names[kind].push(test.id)
  }
}
console.log(`${label}: ` + Object.entries(verdicts).map(([k, v]) => `${k} ${v}`).join(', '))
for (const kind of ['fail', 'optional_fail', 'setup_fail', 'harness_fail']) {
  for (const id of names[kind]) {
    const r = results[id]
    console.log(`  ${kind} ${id}${Array.isArray(r) ? ': ' + String(r[1]).slice(0, 140) : ''}`)
  }
}
