terraform {
  required_version = ">= 1.10"

  required_providers {
    ncloud = {
      source  = "NaverCloudPlatform/ncloud"
      version = "~> 4.0"
    }
  }

  # Local state on purpose: this root creates the bucket the other roots keep their state in. Its
  # state file (terraform/bootstrap/terraform.tfstate, git-ignored) holds the login key's private
  # key: keep it with the operators' secrets.
}

provider "ncloud" {
  support_vpc = true
  region      = var.region
}
