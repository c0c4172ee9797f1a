# Account-wide values, applied once with `make tf-bootstrap`. Bucket names are global across NCP,
# hence the suffix; scripts/tf.sh reads state_bucket_name from this file for every stage's
# `terraform init` (TF_STATE_BUCKET overrides it).
state_bucket_name = "sns-tfstate-kr7f3a"
login_key_name    = "sns-ops"
