// Package output renders a scan's report in each of its formats: table,
// JSON, SARIF, Markdown, HTML, CSV, OCSF and ASFF.
//
// A format is one file: it names itself with a Format… constant and
// registers a Format (name, extension, constructor, and whether it lists
// what passed) from its init function; --format, its help, the report
// file names and the tests' golden files (testdata/report.NAME.golden)
// all follow from the registration. Renderers take findings one at a time
// through Renderer.Add and keep aggregates, so memory does not grow with
// the number of users.
package output
