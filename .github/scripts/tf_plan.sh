#!/usr/bin/env bash
# Plan one stage for a pull request and write the plan as Markdown for a PR comment.
# The plan keeps the image that runs now (terraform output image), so that it
# shows only the infrastructure change, not a spurious image change.
# Usage: tf_plan.sh STAGE MARKDOWN_FILE
# Env:   the Terraform credentials (see .github/README.md)
# Exit status: that of `make tf-plan`; MARKDOWN_FILE is written either way.
set -euo pipefail

stage="${1:?usage: tf_plan.sh STAGE MARKDOWN_FILE}"
markdown="${2:?usage: tf_plan.sh STAGE MARKDOWN_FILE}"
max_chars="${PLAN_COMMENT_MAX_CHARS:-60000}" # a PR comment holds 65536

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/tf_output.sh
. "${script_dir}/tf_output.sh"
tf_drop_empty_vars

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

current_image_tag="$(tf_image_tag "$stage" || true)"
if [ -n "$current_image_tag" ]; then
  export TF_VAR_image_tag="$current_image_tag"
fi

status=0
make tf-plan STAGE="$stage" >"$log" 2>&1 || status=$?
cat "$log"

summary="$(grep -E '^(Plan: |No changes\.|Error: )' "$log" | head -n 3 || true)"
[ -n "$summary" ] || summary="(no plan summary in the output)"
{
  if [ "$status" -eq 0 ]; then
    echo "### Terraform plan: \`${stage}\`"
  else
    echo "### Terraform plan: \`${stage}\` FAILED (exit ${status})"
  fi
  echo
  while IFS= read -r line; do echo "    ${line}"; done <<<"$summary"
  echo
  echo "<details><summary>Output</summary>"
  echo
  echo '```text'
  if [ "$(wc -c <"$log")" -gt "$max_chars" ]; then
    echo "(first ${max_chars} characters; the whole output is in the job log)"
    head -c "$max_chars" "$log"
    echo
  else
    cat "$log"
  fi
  echo '```'
  echo
  echo "</details>"
  echo
  echo "Commit ${GITHUB_SHA:-unknown}, run ${GITHUB_SERVER_URL:-}/${GITHUB_REPOSITORY:-}/actions/runs/${GITHUB_RUN_ID:-}"
} >"$markdown"
exit "$status"
