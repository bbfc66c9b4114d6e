#!/usr/bin/env bash
# check-plugin.sh <bin> <name> <version>: shows that a built resource provider plugin is usable by the
# built CLI. It installs under its name and version into a scratch PULUMI_HOME, `pulumi plugin ls`
# lists it there, and the plugin itself starts and announces the port it serves gRPC on, as every
# Pulumi plugin does on its first line of output. Prints "<name> <version> serves on port N".
set -euo pipefail
bin=$1 name=$2 version=$3
scratch=$(mktemp -d)
pid=""
trap '[[ -z $pid ]] || kill "$pid" 2>/dev/null; rm -rf "$scratch"' EXIT
export PULUMI_HOME=$scratch/home PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

"$bin/pulumi" plugin install resource "$name" "$version" --file "$bin/pulumi-resource-$name" >"$scratch/install.log" 2>&1 \
  || { cat "$scratch/install.log"; exit 1; }
"$bin/pulumi" plugin ls >"$scratch/ls.log" 2>&1
# Compared as plain fields: a version such as 4.26.0-alpha.0+f47bc2d6f199 is no regular expression.
awk -v n="$name" -v v="$version" '$1 == n && $2 == "resource" && $3 == v { found = 1 } END { exit !found }' "$scratch/ls.log" || { echo "pulumi plugin ls does not list $name $version:"; cat "$scratch/ls.log"; exit 1; }

plugin=$(find "$PULUMI_HOME/plugins" -name "pulumi-resource-$name" -type f | head -n1)
"$plugin" >"$scratch/out" 2>"$scratch/err" &
pid=$!
for _ in $(seq 1 100); do
  port=$(head -n1 "$scratch/out")
  if [[ $port =~ ^[0-9]+$ ]]; then echo "$name $version serves on port $port"; exit 0; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
echo "$plugin did not announce a port; stdout: $(cat "$scratch/out"); stderr: $(cat "$scratch/err")"
exit 1
