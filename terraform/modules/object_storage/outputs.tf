output "bucket_name" {
  description = "Name of the photo bucket (AWS_STORAGE_BUCKET_NAME)."
  value       = ncloud_objectstorage_bucket.this.bucket_name
}

output "endpoint" {
  description = "S3 endpoint (AWS_S3_ENDPOINT_URL)."
  value       = var.endpoint
}

output "region" {
  description = "S3 region name (AWS_S3_REGION_NAME)."
  value       = var.region
}
