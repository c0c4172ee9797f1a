variable "bucket_name" {
  description = "Name of the photo bucket. Bucket names are global across NCP, so it carries the project, the stage and an account-specific suffix (e.g. \"sns-staging-media-a1b2\")."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "endpoint" {
  description = "S3 endpoint of NCP Object Storage in the region (AWS_S3_ENDPOINT_URL)."
  type        = string
  default     = "https://kr.object.ncloudstorage.com"

  validation {
    condition     = startswith(var.endpoint, "https://")
    error_message = "endpoint must be an https:// URL."
  }
}

variable "region" {
  description = "S3 region name of the endpoint (AWS_S3_REGION_NAME)."
  type        = string
  default     = "kr-standard"

  validation {
    condition     = can(regex("^[a-z]+-standard$", var.region))
    error_message = "region must be an NCP Object Storage region name such as \"kr-standard\"."
  }
}
