# shellcheck shell=bash
# Terraform helpers sourced by deploy_servers.sh, rollback.sh, tf_plan.sh and tf_apply.sh.
# They run from the repository root and drive scripts/tf.sh (`make tf-*`).
#
#   tf_output STAGE NAME   one output of the stage as a raw string. `scripts/tf.sh STAGE
#                          output` would mix terraform init's messages into stdout, so the
#                          stage is initialised first (messages to stderr), then read.
#   tf_image_tag STAGE     the git SHA the stage's servers run (output "image" is
#                          REGISTRY/sns-backend:SHA; null on the Kubernetes platform)
#   tf_drop_empty_vars     unset every empty TF_VAR_*: a secret that is not set in the GitHub
#                          environment arrives as "", and Terraform should see no value at all
#
# Non-interactive runs: Terraform's own TF_CLI_ARGS_<command> carry -auto-approve to apply
# (scripts/tf.sh passes nothing of the kind), with a wait for the state lock.
export TF_IN_AUTOMATION=1 TF_INPUT=0
export TF_CLI_ARGS_init="-no-color"
export TF_CLI_ARGS_plan="-no-color -lock-timeout=5m"

tf_apply_args="-auto-approve -lock-timeout=5m"

tf_output() {
  bash scripts/tf.sh "$1" init >&2 || return 1
  "${TERRAFORM:-terraform}" -chdir="terraform/envs/$1" output -raw "$2"
}

tf_image_tag() {
  local image
  image="$(tf_output "$1" image 2>/dev/null)" || return 1
  [[ "$image" == *:* ]] || return 1
  echo "${image##*:}"
}

tf_drop_empty_vars() {
  local name
  for name in $(compgen -v TF_VAR_); do
    [ -n "${!name}" ] || unset "$name"
  done
}

# tf_apply STAGE IMAGE_TAG: make tf-apply for that image, without a prompt.
tf_apply() {
  TF_VAR_image_tag="$2" TF_CLI_ARGS_apply="$tf_apply_args" make tf-apply STAGE="$1"
}
