#!/usr/bin/env node
// Checks (default) or rewrites (--write) the layout of Terraform files with HashiCorp's
// hclwrite.Format, the formatter behind `terraform fmt`, compiled to WASM in the npm package
// @cdktf/hcl-tools. No Terraform binary is needed, so it runs offline in CI.
//
//   node scripts/hcl_fmt.mjs [--write] DIR_OR_FILE...
//
// Looks at *.tf and *.tfvars, skipping dot-folders such as .terraform/. Exit status: 0 when every
// file is formatted (or was rewritten), 1 when files need formatting (one path a line), 2 on usage
// errors. The package is loaded from $HCL_TOOLS_PREFIX (default .tools/terraform), where
// `npm install --prefix .tools/terraform @cdktf/hcl-tools@0.21.0` put it.
import { createRequire } from "node:module";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const write = args.includes("--write");
const targets = args.filter((a) => a !== "--write");
if (targets.length === 0 || targets.some((a) => a.startsWith("-"))) {
  console.error("usage: node scripts/hcl_fmt.mjs [--write] DIR_OR_FILE...");
  process.exit(2);
}

const prefix = path.resolve(process.env.HCL_TOOLS_PREFIX ?? ".tools/terraform");
let format;
try {
  ({ format } = createRequire(path.join(prefix, "package.json"))("@cdktf/hcl-tools"));
} catch (err) {
  console.error(`hcl_fmt: @cdktf/hcl-tools not found under ${prefix}/node_modules (${err.code ?? err.message})`);
  process.exit(2);
}

const isHcl = (name) => name.endsWith(".tf") || name.endsWith(".tfvars");

function collect(target, out) {
  const st = statSync(target, { throwIfNoEntry: false });
  if (!st) {
    console.error(`hcl_fmt: no such file or directory: ${target}`);
    process.exit(2);
  }
  if (st.isFile()) {
    out.push(target);
    return out;
  }
  for (const entry of readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const p = path.join(target, entry.name);
    if (entry.isDirectory()) collect(p, out);
    else if (entry.isFile() && isHcl(entry.name)) out.push(p);
  }
  return out;
}

const files = targets.flatMap((t) => collect(t, []));
const unformatted = [];
for (const file of files) {
  const source = readFileSync(file, "utf8");
  const formatted = await format(source);
  if (formatted === source) continue;
  if (write) {
    writeFileSync(file, formatted);
    console.log(`formatted ${file}`);
  } else {
    unformatted.push(file);
  }
}

if (unformatted.length > 0) {
  for (const file of unformatted) console.log(file);
  console.error(`hcl_fmt: ${unformatted.length} of ${files.length} file(s) need formatting; run: make tf-fmt`);
  process.exit(1);
}
console.log(`hcl_fmt: ${files.length} file(s) ${write ? "checked and written" : "formatted correctly"}`);
