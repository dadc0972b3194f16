#!/usr/bin/env bash
# The deployment artifacts' checks: edge shim, template.yaml, Dockerfile publish. Meant to be called
# from .ci/run. cfn-lint runs only where it is installed (it is a Python tool, not a project dependency).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

echo "== edge shim (node --test)"
(cd "$root/edge" && npm test)

echo "== template.yaml (node --test)"
(cd "$root/tests/template" && npm ci --no-audit --no-fund && npm test)

if command -v cfn-lint >/dev/null 2>&1; then
  echo "== template.yaml (cfn-lint $(cfn-lint --version 2>/dev/null | awk '{print $2}'))"
  (cd "$root" && cfn-lint template.yaml)
else
  echo "== template.yaml (cfn-lint): not installed, skipped"
fi

echo "== Dockerfile publish, then the published proxy"
"$root/tests/container/publish-and-run.sh"
