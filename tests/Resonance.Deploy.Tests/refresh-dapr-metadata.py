#!/usr/bin/env python3
"""Rewrites dapr-metadata.json: the metadata names Dapr accepts for each component Resonance ships.

Dapr ignores a metadata name it does not know, so a typo in a component file is silent at runtime.
The deploy tests check every name against this list. It is read from components-contrib's
metadata.yaml files (plus the runtime's built-in names), so refresh it when Dapr moves on:

    git clone https://github.com/dapr/components-contrib /tmp/components-contrib
    python3 tests/Resonance.Deploy.Tests/refresh-dapr-metadata.py /tmp/components-contrib

Needs PyYAML. Add a component here before using it in components/ or deploy/k8s/.
"""
import json
import os
import subprocess
import sys

import yaml

# "<type>.<name>/<version>" as a component's spec.type and spec.version say, and where its metadata.yaml is.
COMPONENTS = {
    "state.redis/v1": "state/redis",
    "state.postgresql/v1": "state/postgresql/v1",
    "state.postgresql/v2": "state/postgresql/v2",
    "state.sqlite/v1": "state/sqlite",
    "pubsub.redis/v1": "pubsub/redis",
    "pubsub.jetstream/v1": "pubsub/jetstream",
    "pubsub.kafka/v1": "pubsub/kafka",
    "secretstores.local.file/v1": "secretstores/local/file",
    "secretstores.local.env/v1": "secretstores/local/env",
    "secretstores.kubernetes/v1": "secretstores/kubernetes",
}

# Names the runtime reads itself, for every component of a kind.
BUILT_IN = {
    # components-contrib metadata/utils.go, BuiltInMetadataProperties
    "state": ["actorStateStore", "keyPrefix"],
    # components-contrib pubsub/metadata.go (RuntimeConsumerIDKey) and dapr/dapr pkg/scopes/scopes.go
    "pubsub": ["consumerID", "subscriptionScopes", "publishingScopes", "allowedTopics", "protectedTopics"],
    "secretstores": [],
}


def fields(spec):
    found = list(spec.get("metadata") or [])
    for profile in spec.get("authenticationProfiles") or []:
        found += profile.get("metadata") or []
    return found


def main(root):
    commit = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    components = {}
    for key, folder in COMPONENTS.items():
        with open(os.path.join(root, folder, "metadata.yaml"), encoding="utf-8") as f:
            spec = yaml.safe_load(f)
        kind = key.split(".", 1)[0]
        components[key] = {
            "source": f"{folder}/metadata.yaml",
            "names": sorted({f["name"] for f in fields(spec)} | set(BUILT_IN[kind])),
            # Secrets: never a literal value in Resonance's files, always a secretKeyRef.
            "sensitive": sorted({f["name"] for f in fields(spec) if f.get("sensitive")}),
        }
    out = {"source": f"github.com/dapr/components-contrib@{commit}", "components": components}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dapr-metadata.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
