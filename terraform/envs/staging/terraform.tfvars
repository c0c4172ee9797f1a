# Staging: small, single zone, app servers behind a load balancer. Values only; secrets come from
# TF_VAR_* in the environment (terraform/README.md) and never belong in this file.
stage    = "staging"
platform = "servers"

zones          = ["KR-2"]
vpc_cidr       = "10.10.0.0/16"
admin_cidrs    = [] # add the SSL VPN client pool to open SSH and the monitoring UIs
login_key_name = "sns-ops"

registry   = "sns-registry.kr.ncr.ntruss.com"
image_name = "sns-backend"

domain_names         = [] # reached through the load balancer's own domain name
cors_allowed_origins = []
certificate_no       = null
lb_throughput_type   = "SMALL"

app_server_product_code        = "SVR.VSVR.HICPU.C002.M004.NET.SSD.B050.G002"
app_min_size                   = 1
app_max_size                   = 3
app_desired_capacity           = 1
gunicorn_workers               = 3
log_level                      = "INFO"
auto_seed                      = true
monitoring_server_product_code = "SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002"

db_name                  = "sns"
db_username              = "sns_app"
db_product_code          = "SVR.VPGSL.DBSVR.STAND.C002.M008.NET.SSD.B050.G002"
db_ha                    = false
db_multi_zone            = false
db_read_replica          = false
db_backup_retention_days = 3

media_bucket_name = "sns-staging-media-kr7f3a"

kubernetes_version    = "1.30"
nks_cluster_type      = "SVR.VNKS.STAND.C004.M016.G003"
nks_node_cpu_count    = 2
nks_node_memory_gb    = 8
nks_node_count        = 2
nks_node_min          = 1
nks_node_max          = 3
nks_return_protection = false
