#!/usr/bin/env bash
# A CI step: post a plan request to bitplan and fail the build when the budget cannot be met.
#   BITPLAN_SERVER=http://bitplan:8080 examples/ci/plan-or-fail.sh request.json plan.json
# Exit codes: 0 a plan (written to the second argument), 2 infeasible budget, 1 any other error.
set -euo pipefail
request=${1:?usage: plan-or-fail.sh REQUEST.json [PLAN.json]}
out=${2:-plan.json}
server=${BITPLAN_SERVER:-http://localhost:8080}

status=$(curl -sS -o "$out" -w '%{http_code}' -H 'content-type: application/json' --data-binary "@$request" "$server/v1/plans") || {
  echo "bitplan: cannot reach $server" >&2
  exit 1
}
case "$status" in
  200)
    echo "bitplan: plan written to $out"
    ;;
  422)
    echo "bitplan: the budgets cannot be met:" >&2
    cat "$out" >&2
    echo >&2
    exit 2
    ;;
  *)
    echo "bitplan: request failed with HTTP $status:" >&2
    cat "$out" >&2
    echo >&2
    exit 1
    ;;
esac
