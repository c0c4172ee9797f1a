# Account-wide prerequisites of the stage roots, applied once: the private bucket for Terraform
# state (both stages, one key each, locked with S3 lock files) and the login key of the servers.

resource "ncloud_objectstorage_bucket" "state" {
  bucket_name = var.state_bucket_name

  lifecycle {
    prevent_destroy = true
  }
}

resource "ncloud_objectstorage_bucket_acl" "state" {
  bucket_name = ncloud_objectstorage_bucket.state.bucket_name
  rule        = "private"
}

# NCP generates the key pair; the private key stays in this root's local state (output below).
resource "ncloud_login_key" "ops" {
  key_name = var.login_key_name
}
