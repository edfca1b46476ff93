#!/bin/sh
# Installs the lifecycle policy (ISM) and the cluster's index template into an OpenSearch cluster.
# Idempotent: the template is overwritten; an existing policy is left as it is (ISM refuses a PUT
# over an existing policy without its sequence numbers; delete it first to change it).
# Any one node will do; pass several to try the next when one does not answer.
# Usage: OPENSEARCH_URL=http://os1:9200,http://os2:9200 SETUP_DIR=stack/scale-out/opensearch \
#          sh stack/scale-out/opensearch/setup.sh
# Add credentials with CURL_OPTS, e.g. CURL_OPTS="-u admin:$OPENSEARCH_PASSWORD --cacert ca.pem".
set -eu

urls=${OPENSEARCH_URL:-http://localhost:9200}
dir=${SETUP_DIR:-$(dirname "$0")}
opts=${CURL_OPTS:-}

# the first node that answers
node=""
for url in $(echo "$urls" | tr ',' ' '); do
  # shellcheck disable=SC2086
  if curl -fsS $opts -o /dev/null "$url/"; then
    node=$url
    break
  fi
  echo "$url does not answer; trying the next node" >&2
done
if [ -z "$node" ]; then
  echo "no node of $urls answers" >&2
  exit 1
fi

echo "PUT $node/_plugins/_ism/policies/logs-companion"
# shellcheck disable=SC2086
status=$(curl -sS $opts -o /tmp/ism-answer.$$ -w '%{http_code}' -X PUT \
  "$node/_plugins/_ism/policies/logs-companion" \
  -H 'Content-Type: application/json' --data-binary "@$dir/ism-policy.json")
case $status in
  2??) cat /tmp/ism-answer.$$; echo ;;
  409) echo "the policy logs-companion exists; left as it is" ;;
  *) cat /tmp/ism-answer.$$ >&2; echo >&2; rm -f /tmp/ism-answer.$$; exit 1 ;;
esac
rm -f /tmp/ism-answer.$$

echo "PUT $node/_index_template/logs-companion"
# shellcheck disable=SC2086
curl -fsS $opts -X PUT "$node/_index_template/logs-companion" \
  -H 'Content-Type: application/json' --data-binary "@$dir/index-template.json"
echo
echo "OpenSearch cluster set up."
