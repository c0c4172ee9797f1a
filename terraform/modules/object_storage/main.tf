# The photo bucket. Objects are private: the app reads and writes them with its own keys and hands
# out presigned URLs, so the bucket ACL stays "private" (no public-read, ever).

resource "ncloud_objectstorage_bucket" "this" {
  bucket_name = var.bucket_name
}

resource "ncloud_objectstorage_bucket_acl" "this" {
  bucket_name = ncloud_objectstorage_bucket.this.bucket_name
  rule        = "private"
}
