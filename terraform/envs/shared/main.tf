# One stage of the sns service. Every stage root (envs/staging, envs/production) links to this
# file instead of copying it (tests/terraform checks it): stages differ only in terraform.tfvars
# and in the TF_VAR_* secrets.
#
# platform = "servers":    app servers in an auto scaling group behind an application load
#                          balancer, plus a monitoring server.
# platform = "kubernetes": an NKS cluster; the k8s/ manifests run the app and its monitoring.
# Both get the network, the PostgreSQL database and the photo bucket.

locals {
  name          = "${var.project}-${var.stage}"
  short_name    = "${var.project}-${var.stage == "production" ? "prd" : "stg"}"
  on_servers    = var.platform == "servers" ? 1 : 0
  on_kubernetes = var.platform == "kubernetes" ? 1 : 0

  # Fixed address of the monitoring server in the first app subnet (kept across replacements).
  monitoring_ip = cidrhost(module.network.app_subnet_cidrs[0], 250)

  # Environment of the app container (names fixed by the runtime contract). The servers' own
  # private address is appended to DJANGO_ALLOWED_HOSTS at boot, for Prometheus' scrapes.
  app_environment = merge({
    DJANGO_SETTINGS_MODULE  = "config.settings.production"
    DJANGO_DEBUG            = "false"
    DJANGO_ALLOWED_HOSTS    = join(",", compact(concat(var.domain_names, [one(module.load_balancer[*].address)])))
    AWS_STORAGE_BUCKET_NAME = module.object_storage.bucket_name
    AWS_S3_ENDPOINT_URL     = module.object_storage.endpoint
    AWS_S3_REGION_NAME      = module.object_storage.region
    THROTTLE_ENABLED        = "true"
    AUTO_SEED               = tostring(var.auto_seed)
    DB_WAIT_TIMEOUT         = "60"
    GUNICORN_WORKERS        = tostring(var.gunicorn_workers)
    LOG_LEVEL               = var.log_level
  }, { for k, v in local.app_optional_environment : k => v if v != "" })

  app_optional_environment = {
    DJANGO_CSRF_TRUSTED_ORIGINS = join(",", [for d in var.domain_names : "https://${d}"])
    CORS_ALLOWED_ORIGINS        = join(",", var.cors_allowed_origins)
  }

  app_secret_environment = {
    DJANGO_SECRET_KEY     = var.django_secret_key
    DATABASE_URL          = "postgres://${module.database.username}:${urlencode(var.db_password)}@${module.database.endpoint}/${module.database.database_name}"
    AWS_ACCESS_KEY_ID     = var.object_storage_access_key
    AWS_SECRET_ACCESS_KEY = var.object_storage_secret_key
    METRICS_TOKEN         = var.metrics_token
    SENTRY_DSN            = var.sentry_dsn
  }
}

module "network" {
  source = "../../modules/network"

  name        = local.name
  vpc_cidr    = var.vpc_cidr
  zones       = var.zones
  admin_cidrs = var.admin_cidrs
}

module "database" {
  source = "../../modules/database"

  name                  = local.name
  vpc_id                = module.network.vpc_id
  vpc_cidr              = module.network.vpc_cidr
  subnet_ids            = module.network.db_subnet_ids
  app_cidr              = module.network.app_supernet_cidr
  db_cidr               = module.network.db_supernet_cidr
  database_name         = var.db_name
  username              = var.db_username
  password              = var.db_password
  product_code          = var.db_product_code
  ha                    = var.db_ha
  multi_zone            = var.db_multi_zone
  read_replica          = var.db_read_replica
  backup_retention_days = var.db_backup_retention_days
}

module "object_storage" {
  source = "../../modules/object_storage"

  bucket_name = var.media_bucket_name
}

module "load_balancer" {
  source = "../../modules/load_balancer"
  count  = local.on_servers

  name            = local.name
  vpc_id          = module.network.vpc_id
  subnet_ids      = module.network.lb_public_subnet_ids
  certificate_no  = var.certificate_no
  throughput_type = var.lb_throughput_type
}

module "monitoring" {
  source = "../../modules/monitoring"
  count  = local.on_servers

  name                        = local.name
  stage                       = var.stage
  vpc_id                      = module.network.vpc_id
  vpc_cidr                    = module.network.vpc_cidr
  subnet_id                   = module.network.app_subnet_ids[0]
  private_ip                  = local.monitoring_ip
  admin_cidrs                 = var.admin_cidrs
  login_key_name              = var.login_key_name
  server_product_code         = var.monitoring_server_product_code
  monitoring_dir              = "${path.root}/../../../monitoring"
  app_access_control_group_id = module.app_servers[0].access_control_group_id
  metrics_token               = var.metrics_token
  slack_webhook_url           = var.slack_webhook_url
  discovery_access_key        = var.discovery_access_key
  discovery_secret_key        = var.discovery_secret_key
  ncloud_region               = var.region
  runbook_url                 = var.runbook_url
}

module "app_servers" {
  source = "../../modules/app_servers"
  count  = local.on_servers

  name                   = local.name
  server_name_prefix     = local.short_name
  vpc_id                 = module.network.vpc_id
  vpc_cidr               = module.network.vpc_cidr
  subnet_id              = module.network.app_subnet_ids[0]
  lb_cidr                = module.network.lb_public_supernet_cidr
  monitoring_cidr        = "${local.monitoring_ip}/32"
  admin_cidrs            = var.admin_cidrs
  login_key_name         = var.login_key_name
  server_product_code    = var.app_server_product_code
  min_size               = var.app_min_size
  max_size               = var.app_max_size
  desired_capacity       = var.app_desired_capacity
  target_group_no        = module.load_balancer[0].target_group_no
  redirect_http_to_https = var.certificate_no != null
  registry               = var.registry
  image_name             = var.image_name
  image_tag              = var.image_tag
  registry_username      = var.registry_username
  registry_password      = var.registry_password
  environment            = local.app_environment
  secret_environment     = local.app_secret_environment
}

module "kubernetes" {
  source = "../../modules/kubernetes"
  count  = local.on_kubernetes

  name                 = local.name
  vpc_id               = module.network.vpc_id
  zone                 = module.network.zones[0]
  node_subnet_ids      = [module.network.app_subnet_ids[0]]
  lb_private_subnet_id = module.network.lb_private_subnet_ids[0]
  lb_public_subnet_id  = module.network.lb_public_subnet_ids[0]
  login_key_name       = var.login_key_name
  kubernetes_version   = var.kubernetes_version
  cluster_type         = var.nks_cluster_type
  node_cpu_count       = var.nks_node_cpu_count
  node_memory_gb       = var.nks_node_memory_gb
  node_count           = var.nks_node_count
  node_min             = var.nks_node_min
  node_max             = var.nks_node_max
  api_allowed_cidrs    = var.admin_cidrs
  return_protection    = var.nks_return_protection
}
