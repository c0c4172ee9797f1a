variable "region" {
  description = "NCP region of the account's resources."
  type        = string
  default     = "KR"

  validation {
    condition     = contains(["KR"], var.region)
    error_message = "Only the KR region is set up (Object Storage endpoint kr.object.ncloudstorage.com)."
  }
}

variable "state_bucket_name" {
  description = "Bucket holding the Terraform state of every stage (scripts/tf.sh reads it from this root's output). Global across NCP: add an account-specific suffix."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "login_key_name" {
  description = "Login key shared by the stages' servers and Kubernetes nodes (stage roots take the same name in login_key_name)."
  type        = string
  default     = "sns-ops"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,29}$", var.login_key_name))
    error_message = "login_key_name must be 3-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}
