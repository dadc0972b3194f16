# Build entry points for the Lambda deployment (docs/deploy-lambda.md).
#
# `sam build` runs `make build-ProxyFunction` for template.yaml's ProxyFunction (Metadata: BuildMethod:
# makefile) with ARTIFACTS_DIR set to the directory it packages. SAM passes no architecture to make:
# ARCHITECTURE (arm64 by default, like the template's Architecture parameter) must name the same one,
# e.g. `ARCHITECTURE=x86_64 sam build` before `sam deploy --parameter-overrides Architecture=x86_64`.
ARCHITECTURE ?= arm64
ARTIFACTS_DIR ?= artifacts/lambda

.PHONY: build-ProxyFunction lambda

build-ProxyFunction:
	scripts/publish-lambda.sh $(ARCHITECTURE) "$(ARTIFACTS_DIR)"

# Without SAM: artifacts/lambda/bootstrap and appsettings.json.
lambda: build-ProxyFunction
