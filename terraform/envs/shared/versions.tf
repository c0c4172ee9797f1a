terraform {
  required_version = ">= 1.10"

  required_providers {
    ncloud = {
      source  = "NaverCloudPlatform/ncloud"
      version = "~> 4.0"
    }
  }

  # State on NCP Object Storage (S3 API), locked with an S3 lock file (Terraform >= 1.10).
  # bucket and key come from scripts/tf.sh (-backend-config), so both stages share this block:
  # bucket from terraform/bootstrap/terraform.tfvars, key "sns/<stage>/terraform.tfstate".
  # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (tf.sh maps NCLOUD_* onto them).
  backend "s3" {
    endpoints = {
      s3 = "https://kr.object.ncloudstorage.com"
    }
    region                      = "kr-standard"
    use_path_style              = true
    use_lockfile                = true
    skip_credentials_validation = true
    skip_region_validation      = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_s3_checksum            = true
  }
}

# Credentials come from NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY in the environment.
provider "ncloud" {
  support_vpc = true
  region      = var.region
}
