output "state_bucket_name" {
  description = "Bucket of the stages' Terraform state (scripts/tf.sh passes it to terraform init)."
  value       = ncloud_objectstorage_bucket.state.bucket_name
}

output "state_endpoint" {
  description = "S3 endpoint of the state bucket."
  value       = "https://kr.object.ncloudstorage.com"
}

output "login_key_name" {
  description = "Login key name to set as login_key_name in the stages' terraform.tfvars."
  value       = ncloud_login_key.ops.key_name
}

output "login_private_key" {
  description = "PEM private key of the login key (decrypts the servers' root passwords): terraform output -raw login_private_key > ~/.ssh/sns-ops.pem"
  value       = ncloud_login_key.ops.private_key
  sensitive   = true
}
