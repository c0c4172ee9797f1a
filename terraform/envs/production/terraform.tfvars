# Production: two zones, highly available database, the app on Kubernetes (k8s/). Values only;
# secrets come from TF_VAR_* in the environment (terraform/README.md), never from this file.
stage    = "production"
platform = "kubernetes"

zones          = ["KR-1", "KR-2"]
vpc_cidr       = "10.20.0.0/16"
admin_cidrs    = [] # add the SSL VPN client pool / CI egress to restrict the Kubernetes API to them
login_key_name = "sns-ops"

registry   = "sns-registry.kr.ncr.ntruss.com"
image_name = "sns-backend"

domain_names         = [] # used by the servers platform only; the ingress sets hosts on Kubernetes
cors_allowed_origins = []
certificate_no       = null
lb_throughput_type   = "MEDIUM"

app_server_product_code        = "SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002"
app_min_size                   = 2
app_max_size                   = 6
app_desired_capacity           = 2
gunicorn_workers               = 5
log_level                      = "INFO"
auto_seed                      = false
monitoring_server_product_code = "SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002"

db_name                  = "sns"
db_username              = "sns_app"
db_product_code          = "SVR.VPGSL.DBSVR.STAND.C004.M016.NET.SSD.B050.G002"
db_ha                    = true
db_multi_zone            = true
db_read_replica          = true
db_backup_retention_days = 14

media_bucket_name = "sns-production-media-kr7f3a"

kubernetes_version    = "1.30"
nks_cluster_type      = "SVR.VNKS.STAND.C004.M016.G003"
nks_node_cpu_count    = 4
nks_node_memory_gb    = 16
nks_node_count        = 3
nks_node_min          = 3
nks_node_max          = 10
nks_return_protection = true
