#!/bin/sh
# Installs the lifecycle policy and the index template into Elasticsearch and the logs-* data
# view into Kibana. Run by the one-shot elasticsearch-setup service; idempotent (PUT/overwrite).
# Usage: ELASTICSEARCH_URL=http://localhost:9200 KIBANA_URL=http://localhost:5601 \
#          SETUP_DIR=stack/elasticsearch KIBANA_DIR=stack/kibana sh stack/elasticsearch/setup.sh
set -eu

es=${ELASTICSEARCH_URL:-http://elasticsearch:9200}
kibana=${KIBANA_URL:-http://kibana:5601}
dir=${SETUP_DIR:-/setup}
kibana_dir=${KIBANA_DIR:-/kibana}

put() {
  echo "PUT $es/$1"
  curl -fsS -X PUT "$es/$1" -H 'Content-Type: application/json' --data-binary "@$2"
  echo
}

put _ilm/policy/logs-companion "$dir/ilm-policy.json"
put _index_template/logs-companion "$dir/index-template.json"

echo "POST $kibana/api/saved_objects/_import (data view logs-*)"
curl -fsS -X POST "$kibana/api/saved_objects/_import?overwrite=true" \
  -H 'kbn-xsrf: true' -F "file=@$kibana_dir/data-view.ndjson"
echo
echo "Elasticsearch and Kibana are set up."
